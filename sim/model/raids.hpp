#pragma once
// Cross-border raids on compounds: they capture and hand over workers (and
// deport those of other origins),
// arrest leaders and financiers (a group without leaders is dismantled),
// and a raided compound may move to another jurisdiction with room
// (displacement).
#include <cstdint>
#include <vector>

#include "model/compounds.hpp"
#include "model/context.hpp"
#include "model/groups.hpp"
#include "model/justice.hpp"
#include "model/levers.hpp"
#include "model/origins.hpp"

namespace fraudsim::model {

class RaidsModule {
 public:
  RaidsModule(const Context& ctx, const Levers& levers, JusticeModule& justice, CompoundsModule& compounds,
              GroupsModule& groups, OriginsModule& origins)
      : ctx_(ctx), levers_(levers), justice_(justice), compounds_(compounds), groups_(groups), origins_(origins) {}

  void raid(std::int32_t day);  // phase "raids"

 private:
  std::vector<std::uint8_t> choose_raided(std::int32_t day) const;
  // Takes the captured workers out of their compounds and hands them over;
  // returns how many were captured in each compound.
  std::vector<std::int64_t> capture(const std::vector<std::uint8_t>& raided, std::int32_t day);
  double capture_share(std::int64_t compound) const;
  void consequences(std::int64_t compound, std::int64_t captured, std::int32_t day);

  Context ctx_;
  const Levers& levers_;
  JusticeModule& justice_;
  CompoundsModule& compounds_;
  GroupsModule& groups_;
  OriginsModule& origins_;
};

}  // namespace fraudsim::model
