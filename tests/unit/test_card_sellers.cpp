// Card sellers recruited by card gangs (cards.seller_networks, docs/model.md
// 7.7): each sells only their own few cards, and card-breaking, by arresting
// sellers and breaking their gangs, can leave the groups short of cards.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using model::Series;

namespace {

// What a run of the reference leaves: its daily counts, from `from`, and the
// most cards any resident sold.
struct Outcome {
  std::vector<model::DayCounts> days;
  int most_cards_sold = 0;
  std::int64_t total(Series series) const { return fraudsim::testing::total(days, series); }
};

Outcome run_reference(const std::vector<input::Override>& overrides, std::uint64_t seed, const std::string& from = "2019-01-01") {
  model::Simulation simulation = run::simulation_of(reference_scenario(overrides), seed);
  simulation.run();
  const auto first = engine::Date::parse(from).value() - simulation.calendar().start();
  const auto& sold = simulation.world().residents.cards_sold;
  return {{simulation.daily_counts().begin() + first, simulation.daily_counts().end()},
          *std::max_element(sold.begin(), sold.end())};
}

}  // namespace

TEST_CASE("a card seller recruited by a gang sells no more than their own cards", "[cards]") {
  // Few willing sellers, so that without gangs each sells many cards.
  const Outcome with_gangs = run_reference({{"cards.seller_share", "0.001"}}, 1);
  const model::SellerNetworks n = reference_scenario().cards.seller_networks;
  REQUIRE(n.enabled);
  CHECK(with_gangs.most_cards_sold <= n.bank_cards_per_seller_max + n.sim_cards_per_seller_max);
  CHECK(with_gangs.total(Series::card_sellers_recruited) > 0);
  // Without gangs a willing seller sells any number of cards.
  const Outcome without = run_reference({{"cards.seller_share", "0.001"}, {"cards.seller_networks.enabled", "false"}}, 1);
  CHECK(without.most_cards_sold > n.bank_cards_per_seller_max + n.sim_cards_per_seller_max);
  CHECK(without.total(Series::card_sellers_recruited) == 0);
}

TEST_CASE("strong card-breaking leaves gangs short of cards: payments go without them and losses fall",
          "[cards][interventions]") {
  const std::vector<input::Override> strong = {{"interventions.card_breaking_2021.seller_arrest_probability_per_day", "0.01"},
                                                  {"interventions.card_breaking_2021.seller_deterrence", "0.6"}};
  const std::vector<input::Override> off = {{"interventions.card_breaking_2021.enabled", "false"}};
  std::int64_t phone_on = 0, phone_off = 0, without_card_on = 0, without_card_off = 0;
  double losses_on = 0, losses_off = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Outcome on = run_reference(strong, seed, "2021-06-01");
    const Outcome without = run_reference(off, seed, "2021-06-01");
    const auto no_card = [](const Outcome& o) {
      return o.total(Series::payments_rerouted_no_card) + o.total(Series::payments_abandoned_route) +
             o.total(Series::payments_failed_no_card);
    };
    phone_on += on.total(Series::sim_cards_active);
    phone_off += without.total(Series::sim_cards_active);
    without_card_on += no_card(on);
    without_card_off += no_card(without);
    const auto losses = [](const Outcome& o) { return static_cast<double>(o.total(Series::losses_yuan)); };
    UNSCOPED_INFO("seed " << seed << ": losses with strong card-breaking " << losses(on) << ", without " << losses(without));
    losses_on += losses(on);
    losses_off += losses(without);
  }
  CHECK(phone_on < phone_off * 0.7);            // the phone cards the gangs' sellers can supply run short
  CHECK(without_card_on > without_card_off);    // payments due on a mule card find none
  CHECK(losses_on < losses_off * 0.8);          // and fewer victims pay
}

TEST_CASE("a seller's fewest cards above their most is refused, naming the key", "[cards][input]") {
  try {
    (void)reference_scenario({{"cards.seller_networks.sim_cards_per_seller_min", "9"}});
    FAIL("expected an InputError");
  } catch (const input::InputError& e) {
    const std::string message = e.what();
    CHECK(message.find("cards.seller_networks.sim_cards_per_seller_min") != std::string::npos);
    CHECK(message.find("expected at most cards.seller_networks.sim_cards_per_seller_max") != std::string::npos);
  }
}
