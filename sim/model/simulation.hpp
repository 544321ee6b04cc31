#pragma once
// One run of the model: the modules, assembled, and the day plan that runs
// their steps in order.
//
// Each mechanism is a module (a class in its own file pair) that owns its
// state, its scratch and the results it records, and offers the services
// other modules need: the justice pipeline arrests, the card market issues
// and deactivates cards, the compounds take in and send home workers, the
// awareness module reads and raises a resident's awareness. All modules
// share a Context (parameters, calendar, seed, options, the World of agents
// and the counts of each day) and get references to the modules they use
// when constructed. Adding a mechanism is a new module and a line in
// make_plan().
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/day_plan.hpp"
#include "model/adaptation.hpp"
#include "model/awareness.hpp"
#include "model/cards.hpp"
#include "model/compounds.hpp"
#include "model/contacts.hpp"
#include "model/context.hpp"
#include "model/groups.hpp"
#include "model/todays_levers.hpp"
#include "model/justice.hpp"
#include "model/laundering.hpp"
#include "model/leaving.hpp"
#include "model/levers.hpp"
#include "model/markets.hpp"
#include "model/origins.hpp"
#include "model/parameters.hpp"
#include "model/police.hpp"
#include "model/raids.hpp"
#include "model/recruitment.hpp"
#include "model/series.hpp"
#include "model/smuggling.hpp"
#include "model/victimisation.hpp"
#include "model/world.hpp"

namespace fraudsim::model {

class Simulation {
 public:
  // `set_levers` sets each day's levers (none: no intervention ever acts).
  Simulation(Parameters parameters, LeverSetter set_levers, std::uint64_t seed, SimulationOptions options = {});
  Simulation(const Simulation&) = delete;  // the modules and the day plan refer to this object
  Simulation& operator=(const Simulation&) = delete;

  // Runs every remaining day; `progress(days_done, num_days)` after each.
  void run(const std::function<void(std::int32_t, std::int32_t)>& progress = {});
  void step();  // one day
  bool finished() const { return day_ >= calendar_.num_days(); }
  // Runs one phase of the day last stepped again, on the world as it is now
  // (micro-benchmarks time a phase this way); false if no phase has that
  // name. Its counts add to that day's.
  bool repeat_phase(std::string_view name);

  const Parameters& parameters() const { return params_; }
  const SimulationOptions& options() const { return options_; }
  const engine::Calendar& calendar() const { return calendar_; }
  const World& world() const { return world_; }
  // Agent counts per simulated day so far (multiply by scale for real units).
  const std::vector<DayCounts>& daily_counts() const { return daily_; }
  // Average card price over the groups not dismantled, per day (yuan).
  const std::vector<double>& daily_card_price() const { return cards_.daily_price(); }
  std::size_t cons_under_way() const { return victimisation_.cons_under_way(); }
  const VictimBreakdowns& victim_breakdowns() const { return victimisation_.breakdowns(); }
  // Month-end snapshots: workforce and jurisdiction (-1: not open) of every
  // compound that ever existed, by month.
  const std::vector<std::vector<std::int32_t>>& compound_workforce_by_month() const { return compounds_.workforce_by_month(); }
  const std::vector<std::vector<std::int32_t>>& compound_jurisdiction_by_month() const {
    return compounds_.jurisdiction_by_month();
  }
  // Month-end workforce by origin and jurisdiction (CompoundsModule::origin_workforce_by_month).
  const std::vector<std::vector<std::int64_t>>& origin_workforce_by_month() const {
    return compounds_.origin_workforce_by_month();
  }
  const MarketsModule& markets() const { return markets_; }
  const std::vector<std::array<HopFlows, num_hops>>& hop_flows_by_month() const { return laundering_.hop_flows_by_month(); }
  const std::vector<std::vector<RouteFlows>>& route_flows_by_month() const { return laundering_.route_flows_by_month(); }
  std::vector<std::string> route_names() const { return laundering_.route_names(); }
  std::vector<engine::DayPlan::Timing> phase_timings() const { return plan_.timings(); }
  // Empty if every bookkeeping identity holds: people neither created nor
  // lost, workforce equal to the workers present, money conserved
  // (losses = frozen + in transit + commissions + laundered); else what broke.
  std::string check_invariants() const;

 private:
  // The world at the start date, module by module.
  void populate();
  // The phases of a day, in order.
  engine::DayPlan make_plan();

  Parameters params_;
  SimulationOptions options_;
  engine::Calendar calendar_;
  World world_;
  std::vector<DayCounts> daily_;
  Context context_;
  // In the order they need each other.
  TodaysLevers levers_;
  AdaptationModule adaptation_;
  AwarenessModule awareness_;
  JusticeModule justice_;
  CardsModule cards_;
  CompoundsModule compounds_;
  GroupsModule groups_;
  SmugglingModule smuggling_;
  RecruitmentModule recruitment_;
  OriginsModule origins_;
  RaidsModule raids_;
  LeavingModule leaving_;
  LaunderingModule laundering_;
  PoliceModule police_;
  VictimisationModule victimisation_;
  MarketsModule markets_;
  ContactsModule contacts_;
  engine::DayPlan plan_;
  std::int32_t day_ = 0;
};

}  // namespace fraudsim::model
