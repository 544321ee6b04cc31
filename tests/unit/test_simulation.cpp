#include <catch2/catch.hpp>

#include "engine/parallel.hpp"
#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using fraudsim::testing::total;
using model::Series;

TEST_CASE("people are neither created nor lost, every day", "[simulation][conservation]") {
  model::Simulation simulation = run::simulation_of(reference_scenario(), 11);
  REQUIRE(simulation.check_invariants().empty());
  std::int64_t left_home = 0, came_home = 0;
  while (!simulation.finished()) {
    simulation.step();
    const std::string problems = simulation.check_invariants();
    INFO("day " << simulation.daily_counts().size() << ": " << problems);
    REQUIRE(problems.empty());
    const auto& today = simulation.daily_counts().back();
    left_home += today[int(Series::recruits)];
    came_home += today[int(Series::persuaded_to_return)] + today[int(Series::returned_unprompted)] +
                 today[int(Series::escaped_or_released)];
  }
  // The stock of workers abroad moves exactly by the flows in and out:
  // recruits leave; workers come home (of every kind) or are handed over.
  const auto& days = simulation.daily_counts();
  std::int64_t expected = days.front()[int(Series::chinese_workers_abroad)];
  for (std::size_t d = 1; d < days.size(); ++d)
    expected += days[d][int(Series::recruits)] - days[d][int(Series::returned_voluntary)] -
                days[d][int(Series::returned_trafficked)] - days[d][int(Series::handed_over)];
  CHECK(days.back()[int(Series::chinese_workers_abroad)] == expected);
  // Workers of other origins are counts, not residents: their stock moves
  // exactly by their recruits, those who left and those deported, and all
  // origins together are the workers abroad.
  std::int64_t foreign = days.front()[int(Series::foreign_workers_abroad)];
  std::int64_t foreign_in = 0, foreign_out = 0;
  for (std::size_t d = 1; d < days.size(); ++d) {
    foreign_in += days[d][int(Series::foreign_recruits)];
    foreign_out += days[d][int(Series::foreign_workers_left)] + days[d][int(Series::foreign_workers_deported)];
    REQUIRE(days[d][int(Series::workers_abroad)] ==
            days[d][int(Series::chinese_workers_abroad)] + days[d][int(Series::foreign_workers_abroad)]);
  }
  CHECK(days.back()[int(Series::foreign_workers_abroad)] == foreign + foreign_in - foreign_out);
  CHECK(foreign > 0);
  CHECK(foreign_in > 0);
  CHECK(foreign_out > 0);
  CHECK(days.front()[int(Series::chinese_workers_abroad)] > 0);
  CHECK(left_home > 0);
  CHECK(came_home > 0);
}

TEST_CASE("results are bit-identical for any thread count", "[simulation][determinism]") {
  auto run_with = [](int threads) {
    engine::ThreadLimit limit(threads);
    model::Simulation simulation = run::simulation_of(reference_scenario(), 5);
    simulation.run();
    return std::make_pair(simulation.daily_counts(), simulation.world().residents.awareness);
  };
  const auto one = run_with(1);
  const auto two = run_with(2);
  REQUIRE(one.first.size() == two.first.size());
  CHECK(one.first == two.first);
  CHECK(one.second == two.second);
  CHECK(total(one.first, Series::victims) > 0);
  CHECK(total(one.first, Series::foreign_victims) > 0);
  CHECK(total(one.first, Series::foreign_recruits) > 0);
}

TEST_CASE("a different seed gives a different run", "[simulation][determinism]") {
  model::Simulation a = run::simulation_of(reference_scenario(), 1), b = run::simulation_of(reference_scenario(), 2);
  a.run();
  b.run();
  CHECK(a.daily_counts() != b.daily_counts());
}

TEST_CASE("an intervention added on day D leaves every day before D unchanged (common random numbers)",
          "[simulation][crn]") {
  model::Simulation without = run::simulation_of(reference_scenario({{"interventions.awareness_campaign_2023.enabled", "false"}}), 3);
  model::Simulation with = run::simulation_of(reference_scenario(), 3);
  without.run();
  with.run();
  const auto start = engine::Date::parse("2023-08-01").value() - without.calendar().start();
  const auto& a = without.daily_counts();
  const auto& b = with.daily_counts();
  for (std::int32_t d = 0; d < start; ++d) {
    INFO("day " << d);
    REQUIRE(a[d] == b[d]);
  }
  CHECK(std::vector(a.begin() + start, a.end()) != std::vector(b.begin() + start, b.end()));
}

TEST_CASE("switching exit control off lets more recruits leave", "[simulation][interventions]") {
  std::int64_t recruits_on = 0, recruits_off = 0, blocked_off = 0, blocked_on = 0;
  // At one agent per 2,000 people: the reference's recruits are too few at
  // its test scale for a difference of this size to stand out of the noise.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    model::Simulation on = run::simulation_of(reference_scenario({{"scale", "2000"}}), seed);
    model::Simulation off = run::simulation_of(reference_scenario({{"scale", "2000"}, {"interventions.exit_controls_2021.enabled", "false"}}), seed);
    on.run();
    off.run();
    recruits_on += total(on.daily_counts(), Series::recruits);
    recruits_off += total(off.daily_counts(), Series::recruits);
    blocked_on += total(on.daily_counts(), Series::exits_blocked);
    blocked_off += total(off.daily_counts(), Series::exits_blocked);
  }
  CHECK(blocked_off == 0);
  CHECK(blocked_on > 0);
  CHECK(recruits_off > recruits_on * 1.2);
}

TEST_CASE("repeat victimisation follows each resident's own history", "[simulation][history]") {
  auto repeat_share = [](const char* factor) {
    model::Simulation simulation = run::simulation_of(reference_scenario({{"victims.repeat_victim_factor", factor},
                                                     {"victims.awareness_after_victimisation", "0"}}),
                                 8);
    simulation.run();
    // Victimisations beyond each victim's first, per victim.
    const std::int64_t victims = total(simulation.daily_counts(), Series::victims);
    const std::int64_t victimisations = total(simulation.daily_counts(), Series::victimisations);
    REQUIRE(victims > 100);
    return static_cast<double>(victimisations - victims) / static_cast<double>(victims);
  };
  // Deceived once, a person is targeted as often as anyone but engages more
  // readily: with a factor of 20 far more victims are deceived again.
  CHECK(repeat_share("20") > 3 * repeat_share("1"));
}

TEST_CASE("residents kept from an earlier simulation give the same run as setting up afresh", "[simulation][populations]") {
  struct Outcome {
    std::vector<model::DayCounts> days;
    std::vector<std::uint8_t> state;
    std::vector<float> awareness;
    bool operator==(const Outcome&) const = default;
  };
  auto run_with = [](const scenario::Scenario& scenario, std::uint64_t seed, model::PopulationCache* populations) {
    model::Simulation simulation = run::simulation_of(scenario, seed, {.populations = populations});
    simulation.run();
    const model::Residents& res = simulation.world().residents;
    return Outcome{simulation.daily_counts(), {res.state.begin(), res.state.end()}, {res.awareness.begin(), res.awareness.end()}};
  };
  model::PopulationCache populations(2);
  const scenario::Scenario base = reference_scenario();
  // A parameter read only after the set-up: the kept residents serve.
  const scenario::Scenario later = reference_scenario({{"workers.attempts_per_day", "300"}});
  // One the set-up reads: they do not.
  const scenario::Scenario sellers = reference_scenario({{"cards.seller_share", "0.03"}});

  const Outcome first = run_with(base, 4, &populations);
  CHECK(populations.misses() == 1);
  CHECK(first == run_with(base, 4, nullptr));
  const Outcome kept = run_with(later, 4, &populations);
  CHECK(populations.hits() == 1);
  CHECK(kept == run_with(later, 4, nullptr));
  CHECK(kept.days != first.days);
  CHECK(run_with(sellers, 4, &populations) == run_with(sellers, 4, nullptr));
  CHECK(run_with(base, 5, &populations) == run_with(base, 5, nullptr));
  CHECK(populations.misses() == 3);
  CHECK(populations.hits() == 1);
  // Both keys kept last are still there, the first one is not.
  CHECK(run_with(later, 5, &populations) == run_with(later, 5, nullptr));
  CHECK(populations.hits() == 2);
  run_with(base, 4, &populations);
  CHECK(populations.misses() == 4);
}

TEST_CASE("the kept residents stay within the cache's memory budget", "[simulation][populations]") {
  const scenario::Scenario base = reference_scenario();  // 70,000 residents: a copy of about 0.1 MB
  auto set_up = [&](model::PopulationCache& populations, std::uint64_t seed) {
    const model::Simulation simulation = run::simulation_of(base, seed, {.populations = &populations});
    return simulation.world().residents.size();
  };
  // A budget below one copy: nothing is kept, every set-up is afresh.
  model::PopulationCache none(4, 1000);
  set_up(none, 1);
  CHECK(set_up(none, 1) == base.num_residents());
  CHECK(none.hits() == 0);
  CHECK(none.misses() == 2);
  // Room for one copy, though four keys are allowed: the older goes.
  model::PopulationCache one(4, 150'000);
  set_up(one, 1);
  set_up(one, 1);
  CHECK(one.hits() == 1);
  set_up(one, 2);
  set_up(one, 1);
  CHECK(one.hits() == 1);
  CHECK(one.misses() == 3);
}
