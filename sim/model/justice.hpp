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

enum class Offence : std::uint8_t { card_selling, laundering, smuggling, fraud_abroad, trafficked_returnee };

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
