// Compounds that move: where groups open and move compounds follows the
// hosts' enforcement and costs; hosts change their enforcement on dated
// events; an operation with no reported end fades at its half-life.
#include <catch2/catch.hpp>

#include <algorithm>

#include "interventions/intervention.hpp"
#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using fraudsim::testing::total;
using model::Series;

namespace {

// The reference's jurisdiction with no compounds at the start.
constexpr std::int32_t myawaddy = 4;

// Compounds open in a jurisdiction on the last day of the run.
std::int64_t open_at_end(const model::Simulation& simulation, std::int32_t jurisdiction) {
  const auto& where = simulation.compound_jurisdiction_by_month().back();
  return std::count(where.begin(), where.end(), jurisdiction);
}

// Compounds open there at the end of each month, added over the months: how
// many and how early.
std::int64_t compound_months(const model::Simulation& simulation, std::int32_t jurisdiction) {
  std::int64_t sum = 0;
  for (const auto& where : simulation.compound_jurisdiction_by_month())
    sum += std::count(where.begin(), where.end(), jurisdiction);
  return sum;
}

std::int64_t day_of(const model::Simulation& simulation, const std::string& date) {
  return engine::Date::parse(date).value() - simulation.calendar().start();
}

}  // namespace

TEST_CASE("an operation fades after fade_from, halving every half-life", "[places][interventions]") {
  auto operation = interventions::make_intervention("enforcement_change");
  operation->start = engine::Date::parse("2023-09-01").value();
  operation->fade_from = engine::Date::parse("2024-01-30").value();
  operation->fade_half_life_days = 120;
  const engine::Date fade_from = *operation->fade_from;
  CHECK(operation->strength(fade_from) == 1.0);
  CHECK(operation->strength(fade_from + 120) == Approx(0.5).epsilon(1e-12));
  CHECK(operation->strength(fade_from + 240) == Approx(0.25).epsilon(1e-12));
  operation->fade_half_life_days = 0;  // no fade
  CHECK(operation->strength(fade_from + 240) == 1.0);
  operation->end = fade_from + 100;  // a sourced end still ends it
  CHECK(operation->strength(fade_from + 101) == 0.0);
}

TEST_CASE("a crackdown that fades raids less after it starts fading than one that goes on", "[places][interventions]") {
  const std::vector<input::Override> goes_on = {{"interventions.joint_operation_chiang_mai_2023.enabled", "false"},
                                                   {"interventions.northern_myanmar_crackdown_2023.fade_from", "~"},
                                                   {"interventions.northern_myanmar_crackdown_2023.fade_half_life_days", "0"}};
  std::vector<input::Override> fades = goes_on;
  fades.push_back({"interventions.northern_myanmar_crackdown_2023.fade_from", "2024-01-30"});
  fades.push_back({"interventions.northern_myanmar_crackdown_2023.fade_half_life_days", "30"});
  // Raids, not handovers: by March 2024 an operation that goes on has taken
  // nearly everyone from the compounds there, and raids them still.
  std::int64_t raids_going_on = 0, raids_fading = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    model::Simulation on = run::simulation_of(reference_scenario(goes_on), seed);
    model::Simulation faded = run::simulation_of(reference_scenario(fades), seed);
    on.run();
    faded.run();
    const auto from = static_cast<std::size_t>(day_of(on, "2024-03-01"));
    raids_going_on += total(on.daily_counts(), Series::raids, from);
    raids_fading += total(faded.daily_counts(), Series::raids, from);
  }
  INFO("raids from March 2024: going on " << raids_going_on << ", fading " << raids_fading);
  // From a month after fade_from the faded strength is at most 1/2, later far less.
  CHECK(raids_fading < raids_going_on / 2);
}

TEST_CASE("a jurisdiction with no compounds at the start gets compounds when enforcement elsewhere rises",
          "[places][displacement]") {
  // The new host made dear and watchful, so that as things are groups mostly
  // open elsewhere; then every other host's enforcement raised from the start
  // (as an unrestrained crackdown everywhere else would).
  const std::vector<input::Override> as_is = {{"jurisdictions.myawaddy.enforcement", "0.5"},
                                                 {"jurisdictions.myawaddy.operating_cost", "0.8"}};
  std::vector<input::Override> raised = as_is;
  for (const char* host : {"northern_myanmar", "cambodia", "philippines", "laos"})
    raised.push_back({std::string("jurisdictions.") + host + ".enforcement", "0.9"});
  std::int64_t all_before = 0, all_after = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    model::Simulation quiet = run::simulation_of(reference_scenario(as_is), seed);
    model::Simulation pressed = run::simulation_of(reference_scenario(raised), seed);
    quiet.run();
    pressed.run();
    const std::int64_t before = compound_months(quiet, myawaddy), after = compound_months(pressed, myawaddy);
    INFO("seed " << seed << ": compound-months at Myawaddy, as is " << before << ", enforcement raised elsewhere " << after);
    CHECK(after > before);
    CHECK(open_at_end(pressed, myawaddy) > 0);
    all_before += before;
    all_after += after;
  }
  // Compounds still move there as is (raided ones relocate where there is
  // room), but far more when the others press: over the seeds, by more than a
  // quarter.
  CHECK(all_after > all_before * 5 / 4);
}

TEST_CASE("with location_sensitivity 0, enforcement and cost change nothing", "[places][compatibility]") {
  const std::vector<input::Override> blind = {{"groups.location_sensitivity", "0"}};
  std::vector<input::Override> changed = blind;
  changed.push_back({"jurisdictions.cambodia.enforcement", "0.9"});
  changed.push_back({"jurisdictions.laos.operating_cost", "1"});
  model::Simulation a = run::simulation_of(reference_scenario(blind), 3);
  model::Simulation b = run::simulation_of(reference_scenario(changed), 3);
  a.run();
  b.run();
  CHECK(a.daily_counts() == b.daily_counts());
}

TEST_CASE("no compound opens in a jurisdiction before it is available, nor beyond its room", "[places][invariants]") {
  // Room for few, so that groups press against it.
  model::Simulation simulation = run::simulation_of(reference_scenario({{"jurisdictions.myawaddy.max_compounds", "3"},
                                                                        {"groups.new_compounds_per_year", "20"}}),
                                                    2);
  while (!simulation.finished()) {
    simulation.step();
    const std::string problems = simulation.check_invariants();
    INFO("day " << simulation.daily_counts().size() << ": " << problems);
    REQUIRE(problems.empty());
  }
  CHECK(open_at_end(simulation, myawaddy) > 0);
  CHECK(open_at_end(simulation, myawaddy) <= 3);
}
