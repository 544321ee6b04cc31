#pragma once
// Organisers of illegal border crossings, part of the exit route: residents
// of the border regions, each taking a few people across a day; arrested
// when a crossing is stopped, replaced after a while.
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/random.hpp"
#include "model/context.hpp"
#include "model/justice.hpp"

namespace fraudsim::model {

class SmugglingModule {
 public:
  SmugglingModule(const Context& ctx, JusticeModule& justice) : ctx_(ctx), justice_(justice) {}

  void recruit_initial();           // at the start
  void replace(std::int32_t day);   // in phase "groups": the arrested are replaced

  // Today's illegal crossings: what the free smugglers can take, with what
  // was left unused (up to one agent), so the mean is exact at any scale.
  void open_crossings(std::int32_t day);
  // Takes one of today's crossings; false if no smuggler or crossing is left.
  bool take_crossing();
  // A stopped crossing may lead to a smuggler, drawn with the crossing's
  // draws: the resident arrested, if they were at home.
  std::optional<ResidentId> arrest_one(std::int32_t day, engine::Draws& draws);

 private:
  void take_off_roster(std::size_t k);  // smuggler k leaves the roster: one more missing, with its weight

  Context ctx_;
  JusticeModule& justice_;
  std::vector<ResidentId> smugglers_;  // free and working
  std::vector<double> weights_;        // agents' worth each stands for: 1, or the fraction (0, 1) left at the start
  std::vector<double> missing_;        // weights of the arrested, not yet replaced
  double crossings_left_ = 0;           // agents: today's and up to one carried over
};

}  // namespace fraudsim::model
