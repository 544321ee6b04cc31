// Police who respond, arrests by kind, cards that bind: each checked on
// outcomes over several seeds, beyond the seeds' own spread.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using fraudsim::testing::total;
using model::Series;

namespace {

struct Spread {
  double mean = 0, sd = 0;
  int n = 0;
};

Spread spread(const std::vector<double>& values) {
  Spread s;
  s.n = static_cast<int>(values.size());
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / s.n;
  for (const double v : values) s.sd += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(s.sd / (s.n - 1));
  return s;
}

// Seed by seed, a minus b.
std::vector<double> differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out;
  for (std::size_t k = 0; k < a.size(); ++k) out.push_back(a[k] - b[k]);
  return out;
}

// Seed by seed, a series with `base` minus with `changed` (from a date to the end).
Spread paired(const std::vector<input::Override>& base, const std::vector<input::Override>& changed, Series series,
              const std::string& from_date, int seeds);

// The mean in standard errors: above 3, beyond the seeds' noise.
double standard_errors(const Spread& s) { return s.mean / std::max(s.sd / std::sqrt(s.n), 1e-9); }

// How many standard errors of the difference apart two means are.
double separation(const Spread& a, const Spread& b) {
  const double se = std::sqrt(a.sd * a.sd / a.n + b.sd * b.sd / b.n);
  return std::abs(a.mean - b.mean) / std::max(se, 1e-9);
}

// A series over seeds, from a date to the end, in real units (agents x scale).
std::vector<double> per_seed(const std::vector<input::Override>& overrides, Series series, const std::string& from_date,
                             int seeds) {
  std::vector<double> out;
  for (int seed = 1; seed <= seeds; ++seed) {
    const scenario::Scenario scenario = reference_scenario(overrides);
    model::Simulation simulation = run::simulation_of(scenario, static_cast<std::uint64_t>(seed));
    simulation.run();
    const auto from = static_cast<std::size_t>(engine::Date::parse(from_date).value() - simulation.calendar().start());
    out.push_back(static_cast<double>(total(simulation.daily_counts(), series, from)) *
                  static_cast<double>(simulation.parameters().scale));
  }
  return out;
}

Spread paired(const std::vector<input::Override>& base, const std::vector<input::Override>& changed, Series series,
              const std::string& from_date, int seeds) {
  return spread(differences(per_seed(base, series, from_date, seeds), per_seed(changed, series, from_date, seeds)));
}

}  // namespace

TEST_CASE("cases solved in real units agree at 1:2000 and 1:500 (capacity is a rate, not whole agents)", "[police][scale]") {
  // At 1:2000 the reference capacity is a fraction of an agent case a day.
  const Spread coarse = spread(per_seed({{"scale", "2000"}}, Series::cases_solved, "2019-01-01", 3));
  const Spread fine = spread(per_seed({{"scale", "500"}}, Series::cases_solved, "2019-01-01", 3));
  INFO("1:2000 " << coarse.mean << " +- " << coarse.sd << ", 1:500 " << fine.mean << " +- " << fine.sd);
  CHECK(coarse.mean > 0);
  CHECK(separation(coarse, fine) < 4.0);
  CHECK(std::abs(coarse.mean - fine.mean) < 0.1 * fine.mean);
}

TEST_CASE("arrests by kind add up to suspects_arrested every day, and every kind occurs", "[police][arrests]") {
  model::Simulation simulation = run::simulation_of(reference_scenario({{"scale", "5000"}}), 7);
  simulation.run();
  const std::vector<Series> kinds = {Series::card_sellers_arrested, Series::launderers_arrested, Series::smugglers_arrested,
                                     Series::returnees_arrested,    Series::handed_over_arrested, Series::case_suspects_arrested};
  const auto& days = simulation.daily_counts();
  for (std::size_t d = 0; d < days.size(); ++d) {
    std::int64_t sum = 0;
    for (const Series kind : kinds) sum += days[d][int(kind)];
    INFO("day " << d);
    REQUIRE(sum == days[d][int(Series::suspects_arrested)]);
  }
  // Smugglers are arrested a few thousand times in the whole reference run,
  // a handful of agents at this scale: the sum covers them, occurrence not.
  for (const Series kind : kinds) {
    if (kind == Series::smugglers_arrested) continue;
    INFO(model::series_info[int(kind)].name);
    CHECK(total(days, kind) > 0);
  }
}

TEST_CASE("a police campaign solves more cases and arrests more suspects", "[police][interventions]") {
  // Paired by seed: with and without the campaign, each seed's runs are the
  // same until the campaign starts (common random numbers).
  const std::vector<input::Override> off = {{"interventions.police_campaign_2021.enabled", "false"}};
  for (const Series outcome : {Series::cases_solved, Series::suspects_arrested}) {
    const Spread gain = paired({{"scale", "5000"}}, {{"scale", "5000"}, off[0]}, outcome, "2021-07-01", 4);
    INFO(model::series_info[int(outcome)].name << ": gain " << gain.mean << " +- " << gain.sd);
    CHECK(standard_errors(gain) > 3.0);
  }
}

TEST_CASE("card-breaking raises the card price and spares victims beyond seed noise", "[cards][interventions]") {
  // A strong card-breaking, where the card stock binds: on the card chain
  // alone, since the laundering routes of the reference let payments go
  // without a card and, with the workers of other origins, leave the effect
  // on victims within two or three standard errors at this scale.
  const std::vector<input::Override> strong = {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.02"},
                                                  {"interventions.card_breaking_2021.seller_deterrence", "0.9"},
                                                  testing::card_chain_only};
  const std::vector<input::Override> off = {{"interventions.card_breaking_2021.enabled", "false"}, testing::card_chain_only};
  // Victims beyond the seeds' noise; the lognormal losses, noisier at this
  // scale, only on average.
  // Eight seeds: with the card gangs the victims spared vary more between
  // seeds (gangs broken or not at this scale), about 2.7 standard errors on four.
  const Spread spared = paired(off, strong, Series::victims, "2021-06-01", 8);
  const Spread saved = paired(off, strong, Series::losses_yuan, "2021-06-01", 8);
  INFO("victims spared " << spared.mean << " +- " << spared.sd << ", losses saved " << saved.mean << " +- " << saved.sd);
  CHECK(standard_errors(spared) > 3.0);
  CHECK(saved.mean > 0);

  auto mean_price = [](const std::vector<input::Override>& overrides) {
    model::Simulation simulation = run::simulation_of(reference_scenario(overrides), 1);
    simulation.run();
    const auto& price = simulation.daily_card_price();
    const auto from = static_cast<std::size_t>(engine::Date::parse("2021-06-01").value() - simulation.calendar().start());
    return std::accumulate(price.begin() + static_cast<std::ptrdiff_t>(from), price.end(), 0.0) /
           static_cast<double>(price.size() - from);
  };
  const double price_on = mean_price(strong), price_off = mean_price(off);
  INFO("price with " << price_on << ", without " << price_off);
  CHECK(price_on > 2.0 * price_off);
}

TEST_CASE("money short of second-level cards takes the costlier route, and only when allowed", "[cards][laundering]") {
  // On the card chain alone: with routes little money waits for a second-level card.
  const std::vector<input::Override> strong = {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.02"},
                                                  {"interventions.card_breaking_2021.seller_deterrence", "0.9"},
                                                  fraudsim::testing::card_chain_only};
  std::vector<input::Override> never = strong;
  never.push_back({"laundering.detour_after_days", "0"});
  model::Simulation with = run::simulation_of(reference_scenario(strong), 2);
  model::Simulation without = run::simulation_of(reference_scenario(never), 2);
  with.run();
  without.run();
  CHECK(total(with.daily_counts(), Series::detoured_yuan) > 0);
  CHECK(total(without.daily_counts(), Series::detoured_yuan) == 0);
  // Whether more money reaches the groups with the detour (sooner, but at a
  // dearer commission) is not checked: in the reference the difference is
  // within the seeds' noise (laundered_yuan from -1 % to +3.5 % over seeds 1-6
  // at 1:20,000; the money in transit likewise at 1:5,000).
}

TEST_CASE("breaking card gangs cuts their sellers off: fewer cards, fewer victims", "[cards][networks]") {
  // Strong card-breaking; large gangs, so each broken gang takes many sellers
  // with it; on the card chain alone, where victims are spared for want of
  // cards; gangs rebuilt at a constant rate (a dear card would bring them back sooner).
  // The gangs as a share of the willing sellers, without the recruited
  // sellers of cards.seller_networks (tested in test_card_sellers.cpp).
  const std::vector<input::Override> gangs = {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.01"},
                                                 {"cards.network_size_sellers", "20000"},
                                                 {"cards.network_break_per_arrest", "0.2"},
                                                 {"cards.network_recruitment_price_elasticity", "0"},
                                                 {"cards.seller_networks.enabled", "false"},
                                                 fraudsim::testing::card_chain_only};
  std::vector<input::Override> no_gangs = gangs;
  no_gangs[1] = {"cards.network_size_sellers", "0"};
  const Spread fewer_cards = paired(no_gangs, gangs, Series::mule_cards_active, "2021-06-01", 4);
  // Victims rather than losses: the lognormal losses are too noisy at this scale.
  const Spread spared = paired(no_gangs, gangs, Series::victims, "2021-06-01", 4);
  INFO("cards fewer by " << fewer_cards.mean << " +- " << fewer_cards.sd << "; victims fewer by " << spared.mean << " +- " << spared.sd);
  CHECK(standard_errors(fewer_cards) > 3.0);
  CHECK(standard_errors(spared) > 3.0);
}

TEST_CASE("card gangs recruit again sooner when cards sell dear", "[cards][networks]") {
  // Large gangs broken by strong card-breaking, so many sellers are cut off
  // and the card price rises; a price response brings them back sooner.
  const std::vector<input::Override> constant = {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.01"},
                                                    {"cards.network_size_sellers", "20000"},
                                                    {"cards.network_break_per_arrest", "0.2"},
                                                    {"cards.network_recruitment_price_elasticity", "0"},
                                                    {"cards.seller_networks.enabled", "false"}};
  std::vector<input::Override> responsive = constant;
  responsive[3] = {"cards.network_recruitment_price_elasticity", "2"};
  const Spread fewer_cut_off = paired(constant, responsive, Series::card_sellers_cut_off, "2021-06-01", 4);
  INFO("sellers cut off fewer by " << fewer_cut_off.mean << " +- " << fewer_cut_off.sd);
  CHECK(standard_errors(fewer_cut_off) > 3.0);
}
