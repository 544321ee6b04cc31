#pragma once
// Workers of the other origins (Parameters::origins): recruited into the
// places a compound has free after the day's home-country recruits, held by
// force or not, leaving by escape, release, return or their origin's return
// policy, and deported when a raid captures them. They are counts by origin
// and compound (CompoundsModule keeps them), drawn per compound and day, so
// the cost does not grow with their number.
#include <cstdint>

#include "model/compounds.hpp"
#include "model/context.hpp"

namespace fraudsim::model {

class OriginsModule {
 public:
  OriginsModule(const Context& ctx, CompoundsModule& compounds) : ctx_(ctx), compounds_(compounds) {}

  void recruit(std::int32_t day);  // phase "recruitment", after the home country's
  void leave(std::int32_t day);    // phase "leaving_compounds"
  // A raid on `compound` captures each foreign worker with probability
  // `capture_share`; they are deported. Returns how many.
  std::int64_t deport(std::int64_t compound, double capture_share, std::int32_t day);

 private:
  bool in_force(const std::optional<engine::Date>& start, std::int32_t day) const;
  std::int64_t take(std::size_t origin, std::int64_t compound, double p_trafficked, double p_voluntary,
                    const engine::Stream& stream, std::int32_t day);

  Context ctx_;
  CompoundsModule& compounds_;
};

}  // namespace fraudsim::model
