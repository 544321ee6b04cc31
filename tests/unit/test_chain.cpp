// The whole chain: each intervention, switched off, moves its outcomes the
// way the domain says; causes are followed link by link; money and people
// are conserved every day.
#include <catch2/catch.hpp>

#include "engine/parallel.hpp"
#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using fraudsim::testing::total;
using model::Series;

namespace {

// Totals of some series over several seeds, from `from` to the end.
struct Totals {
  std::map<Series, std::int64_t> sum;
  std::int64_t operator[](Series s) const { return sum.count(s) ? sum.at(s) : 0; }
};

Totals run_seeds(const std::vector<input::Override>& overrides, const std::vector<Series>& series,
                 const std::string& from_date = "2019-01-01", int seeds = 3) {
  Totals out;
  for (int seed = 1; seed <= seeds; ++seed) {
    model::Simulation simulation = run::simulation_of(reference_scenario(overrides), static_cast<std::uint64_t>(seed));
    simulation.run();
    const auto from = static_cast<std::size_t>(engine::Date::parse(from_date).value() - simulation.calendar().start());
    for (const Series s : series) out.sum[s] += total(simulation.daily_counts(), s, from);
  }
  return out;
}

}  // namespace

TEST_CASE("money and people are conserved every day", "[chain][conservation]") {
  model::Simulation simulation = run::simulation_of(reference_scenario(), 21, {.record_transactions = true});
  std::int64_t checked_days = 0;
  while (!simulation.finished()) {
    simulation.step();
    const std::string problems = simulation.check_invariants();
    INFO("day " << simulation.daily_counts().size() << ": " << problems);
    REQUIRE(problems.empty());
    ++checked_days;
  }
  CHECK(checked_days == simulation.calendar().num_days());
  // The identity is not vacuous: every term moved.
  CHECK(total(simulation.daily_counts(), Series::losses_yuan) > 0);
  CHECK(total(simulation.daily_counts(), Series::payments_stopped_yuan) > 0);
  CHECK(total(simulation.daily_counts(), Series::commissions_yuan) > 0);
  CHECK(total(simulation.daily_counts(), Series::laundered_yuan) > 0);
  CHECK(simulation.world().detained > 0);
  CHECK_FALSE(simulation.world().transactions.empty());
  // Money went by every route of the reference, so the check by route is not vacuous either.
  std::vector<std::int64_t> paid_in(simulation.route_names().size(), 0);
  for (const auto& month : simulation.route_flows_by_month())
    for (std::size_t r = 0; r < month.size(); ++r) paid_in[r] += month[r].paid_in_yuan;
  REQUIRE(paid_in.size() == 3);
  for (const std::int64_t money : paid_in) CHECK(money > 0);
}

TEST_CASE("without fund interception less is frozen and more laundered", "[chain][interventions]") {
  const std::vector<Series> money = {Series::payments_stopped_yuan, Series::laundered_yuan};
  const auto on = run_seeds({}, money);
  const auto off = run_seeds({{"interventions.fund_interception_baseline.enabled", "false"},
                              {"interventions.fund_interception_2021.enabled", "false"}},
                             money);
  CHECK(off[Series::payments_stopped_yuan] < on[Series::payments_stopped_yuan] * 0.5);
  CHECK(off[Series::laundered_yuan] > on[Series::laundered_yuan] * 1.1);
}

TEST_CASE("without cross-border operations no one is handed over and more remain abroad later",
          "[chain][interventions]") {
  const std::vector<Series> series = {Series::handed_over, Series::leaders_arrested, Series::chinese_workers_abroad};
  const std::vector<input::Override> off = {{"interventions.northern_myanmar_crackdown_2023.enabled", "false"},
                                               {"interventions.joint_operation_chiang_mai_2023.enabled", "false"}};
  const auto with = run_seeds({}, series, "2023-12-01");
  const auto without = run_seeds(off, series, "2023-12-01");
  const auto handed_with = run_seeds({}, {Series::handed_over});
  const auto handed_without = run_seeds(off, {Series::handed_over});
  CHECK(handed_without[Series::handed_over] == 0);
  CHECK(handed_with[Series::handed_over] > 0);
  // chinese_workers_abroad is a stock: its sum over the last 13 months compares the workforce later on.
  CHECK(without[Series::chinese_workers_abroad] > with[Series::chinese_workers_abroad] * 1.1);
}

TEST_CASE("card-breaking works through the chain: fewer cards, fewer completed payments, fewer losses",
          "[chain][interventions]") {
  // At full force, so the card stock binds; on the card chain alone, where a
  // payment without a card fails rather than going by another route.
  const std::vector<input::Override> strong = {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.05"},
                                                  {"interventions.card_breaking_2021.seller_deterrence", "0.95"},
                                                  fraudsim::testing::card_chain_only};
  const std::vector<input::Override> off = {{"interventions.card_breaking_2021.enabled", "false"},
                                            fraudsim::testing::card_chain_only};
  const std::vector<Series> chain = {Series::mule_cards_active, Series::payments_failed_no_card, Series::victims,
                                     Series::losses_yuan, Series::card_sellers_arrested};
  const auto on = run_seeds(strong, chain, "2021-06-01");
  const auto without = run_seeds(off, chain, "2021-06-01");
  CHECK(on[Series::card_sellers_arrested] > without[Series::card_sellers_arrested]);
  CHECK(on[Series::mule_cards_active] < without[Series::mule_cards_active] * 0.8);  // fewer active mule cards
  CHECK(on[Series::payments_failed_no_card] > without[Series::payments_failed_no_card]);  // hence payments fail
  CHECK(on[Series::losses_yuan] < without[Series::losses_yuan]);  // hence fewer losses
}

TEST_CASE("an operation added on day D leaves every day before D unchanged", "[chain][crn]") {
  model::Simulation without = run::simulation_of(reference_scenario({{"interventions.northern_myanmar_crackdown_2023.enabled", "false"}}), 4);
  model::Simulation with = run::simulation_of(reference_scenario(), 4);
  without.run();
  with.run();
  const auto start = engine::Date::parse("2023-09-01").value() - with.calendar().start();
  for (std::int32_t d = 0; d < start; ++d) {
    INFO("day " << d);
    REQUIRE(without.daily_counts()[d] == with.daily_counts()[d]);
  }
  // From D on it acts: some day of its first month differs (a raid is a
  // chance event, so day D itself may pass without one).
  bool differs = false;
  for (std::int32_t d = start; d < start + 30; ++d) differs = differs || without.daily_counts()[d] != with.daily_counts()[d];
  CHECK(differs);
}

TEST_CASE("raiding every compound in one jurisdiction moves part of its workforce to others", "[chain][displacement]") {
  // Raids every day, no leader arrested (so no group is dismantled), and
  // every raided compound moves if it finds room.
  // At one agent per 2,000 people: at the test scale a compound has a tenth
  // of an agent's places, and few workers of the home country are left by 2023.
  const std::vector<input::Override> raids = {
      {"scale", "2000"},
      {"interventions.northern_myanmar_crackdown_2023.raid_probability_per_day", "1"},
      {"interventions.northern_myanmar_crackdown_2023.capture_share", "0.1"},
      {"interventions.northern_myanmar_crackdown_2023.leader_arrest_probability", "0"},
      {"interventions.joint_operation_chiang_mai_2023.enabled", "false"},
      {"groups.relocation_probability", "1"}};
  model::Simulation raided = run::simulation_of(reference_scenario(raids), 6);
  model::Simulation quiet = run::simulation_of(reference_scenario({{"scale", "2000"},
                                                                    {"interventions.northern_myanmar_crackdown_2023.enabled", "false"},
                                              {"interventions.joint_operation_chiang_mai_2023.enabled", "false"},
                                              {"groups.relocation_probability", "1"}}),
                          6);
  raided.run();
  quiet.run();
  const auto month = static_cast<std::size_t>(raided.calendar().month_of(
      engine::Date::parse("2023-12-31").value() - raided.calendar().start()));
  auto workforce_in = [&](const model::Simulation& sim, bool myanmar) {
    std::int64_t sum = 0;
    const auto& people = sim.compound_workforce_by_month()[month];
    const auto& where = sim.compound_jurisdiction_by_month()[month];
    for (std::size_t c = 0; c < people.size(); ++c)
      if (where[c] >= 0 && (where[c] == 0) == myanmar) sum += people[c];
    return sum;
  };
  CHECK(total(raided.daily_counts(), Series::relocations) > 0);
  CHECK(workforce_in(raided, true) < workforce_in(quiet, true) / 2);
  CHECK(workforce_in(raided, false) > workforce_in(quiet, false));
}

TEST_CASE("every other intervention, switched off, moves its own outcome", "[chain][interventions]") {
  struct Case {
    std::vector<std::string> names;  // the interventions switched off
    Series outcome;
    bool falls;  // the outcome falls (true) or rises (false) without them
    std::string from;
    double by = 0.2;  // at least this share
    std::vector<input::Override> base = {};  // e.g. a finer scale where the effect is small
  };
  const std::vector<Case> cases = {
      {{"persuade_to_return_2021", "deadline_notices_2023"}, Series::persuaded_to_return, true, "2021-01-01"},
      {{"push_warnings_2021", "warning_sms_12381"}, Series::people_dissuaded, true, "2021-01-01"},
      {{"interception_fast_mechanism_2021"}, Series::sms_blocked, true, "2021-06-01"},
      // Publicity of the reach the earlier fit gave (the fitted reach of match D
      // is a few times smaller: +2 % of victims, docs/model.md).
      {{"awareness_campaign_2021", "awareness_campaign_2023"}, Series::victims, false, "2021-06-01", 0.05,
       {{"interventions.awareness_campaign_2021.reach_per_day", "0.000668"},
        {"interventions.awareness_campaign_2023.reach_per_day", "0.002"}}},
      // The law blocks more calls and messages and deters card sellers: more
      // people are deceived without it. (Its extra freeze at card hops is
      // offset, in frozen money, by the smaller losses it leaves to freeze.)
      // At one agent per 2,000 people it stands out of the noise.
      {{"anti_fraud_law"}, Series::victimisations, false, "2022-12-01", 0.05, {{"scale", "2000"}}},
      // Arrests at the rate the earlier fit assumed (match D fits 0.00012 a day).
      {{"card_breaking_2021"}, Series::card_sellers_arrested, true, "2021-01-01", 0.2,
       {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.001"}}},
  };
  for (const Case& c : cases) {
    std::vector<input::Override> off = c.base;
    for (const auto& name : c.names) off.push_back({"interventions." + name + ".enabled", "false"});
    const auto with = run_seeds(c.base, {c.outcome}, c.from, 2);
    const auto without = run_seeds(off, {c.outcome}, c.from, 2);
    INFO(c.names.front() << ": with " << with[c.outcome] << ", without " << without[c.outcome]);
    if (c.falls)
      CHECK(without[c.outcome] < with[c.outcome] * (1.0 - c.by));
    else
      CHECK(without[c.outcome] > with[c.outcome] * (1.0 + c.by));
  }
}
