#pragma once
// Family crime groups: their leaders and financiers, how they replace the
// financiers they lose and where they open compounds when full (where there
// is room, raids have deterred least, and enforcement and costs are low),
// and their end when no leader is left.
#include <cstdint>
#include <string>
#include <vector>

#include "model/cards.hpp"
#include "model/compounds.hpp"
#include "model/context.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class GroupsModule {
 public:
  GroupsModule(const Context& ctx, const Levers& levers, CompoundsModule& compounds, CardsModule& cards)
      : ctx_(ctx),
        levers_(levers),
        compounds_(compounds),
        cards_(cards),
        raid_pressure_(ctx.params.jurisdictions.size(), 0.0) {}

  void form_initial();          // at the start: each jurisdiction's groups, at full strength
  void run(std::int32_t day);   // phase "groups" (with the smugglers' replacement)

  // A raid in a jurisdiction deters new compounds there for a while.
  void note_raid(std::uint8_t jurisdiction) { raid_pressure_[jurisdiction] += 1.0; }
  // A jurisdiction other than `excluded`, available on `day`, with room for a
  // compound, chosen by `u` with weight room / (1 + raid pressure) *
  // exp(-location_sensitivity * (enforcement + operating cost)); -1 if none.
  std::int64_t pick_jurisdiction_with_room(std::int64_t excluded, double u, std::int32_t day) const;
  // The host state's enforcement today: its own, tightened by dated changes.
  double enforcement(std::size_t jurisdiction) const;
  // Problems, one a line: a compound open in a jurisdiction not yet available
  // on the last simulated day (`days_done` - 1), or more open there than its room.
  std::string check(std::int32_t days_done) const;
  // Marks a group dismantled, closes its compounds and drops its cards.
  void dismantle(std::uint16_t group, std::int32_t day);

 private:
  // Today's deterrence of a jurisdiction by enforcement and cost (1: none).
  double location_factor(std::size_t jurisdiction) const;

  Context ctx_;
  const Levers& levers_;
  CompoundsModule& compounds_;
  CardsModule& cards_;
  std::vector<double> raid_pressure_;  // by jurisdiction
};

}  // namespace fraudsim::model
