#pragma once
// The justice pipeline: an arrested resident is punished administratively
// (a short detention) or detained under criminal law with a sentence of
// months to years (Global Times, 6 Aug 2023: "three months of detention to 11 years"),
// released when it ends, and more likely to offend again afterwards. Every
// module that arrests someone at home does it here.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/random.hpp"
#include "model/context.hpp"

namespace fraudsim::model {

// What an arrest is for, and so the kind it is counted under: every arrest
// at home passes through JusticeModule::arrest, which counts it by kind.
enum class Offence : std::uint8_t {
  card_selling,         // sellers of mule bank and phone cards
  laundering,           // domestic money launderers
  smuggling,            // organisers of illegal border crossings
  fraud_abroad,         // voluntary workers who came home
  trafficked_returnee,  // trafficked workers who came home
  handed_over,          // workers captured in raids abroad and handed over
  case_suspect,         // further accomplices found by solving a case
};

class JusticeModule {
 public:
  explicit JusticeModule(const Context& ctx)
      : ctx_(ctx), releases_by_day_(static_cast<std::size_t>(ctx.calendar.num_days())) {}

  void release(std::int32_t day);  // phase "releases"
  void record(std::int32_t day);   // today's stock of detainees
  // Arrests a resident at home and puts them through the pipeline, with the
  // arresting decision's draws; false if they are not at home (abroad or
  // already detained).
  bool arrest(ResidentId r, Offence offence, std::int32_t day, engine::Draws& draws);
  // Empty if the residents detained are those counted; else the difference.
  std::string check() const;

 private:
  Context ctx_;
  std::vector<std::vector<ResidentId>> releases_by_day_;  // detainees, by the day they are released
};

}  // namespace fraudsim::model
