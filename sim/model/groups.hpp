#pragma once
// Family crime groups: their leaders and financiers, how they replace the
// financiers they lose and where they open compounds when full (where raids
// have deterred least), and their end when no leader is left.
#include <cstdint>
#include <vector>

#include "model/cards.hpp"
#include "model/compounds.hpp"
#include "model/context.hpp"

namespace fraudsim::model {

class GroupsModule {
 public:
  GroupsModule(const Context& ctx, CompoundsModule& compounds, CardsModule& cards)
      : ctx_(ctx), compounds_(compounds), cards_(cards), raid_pressure_(ctx.params.jurisdictions.size(), 0.0) {}

  void form_initial();          // at the start: each jurisdiction's groups, at full strength
  void run(std::int32_t day);   // phase "groups" (with the smugglers' replacement)

  // A raid in a jurisdiction deters new compounds there for a while.
  void note_raid(std::uint8_t jurisdiction) { raid_pressure_[jurisdiction] += 1.0; }
  // A jurisdiction other than `excluded` with room for a compound, chosen by
  // `u` in proportion to its room and inversely to raid pressure; -1 if none.
  std::int64_t pick_jurisdiction_with_room(std::int64_t excluded, double u) const;
  // Marks a group dismantled, closes its compounds and drops its cards.
  void dismantle(std::uint16_t group, std::int32_t day);

 private:
  Context ctx_;
  CompoundsModule& compounds_;
  CardsModule& cards_;
  std::vector<double> raid_pressure_;  // by jurisdiction
};

}  // namespace fraudsim::model
