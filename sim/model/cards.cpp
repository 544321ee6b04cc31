// The card market: gangs keep stocks of mule bank cards and phone (SIM)
// cards bought from residents willing to sell. Cards are used up, frozen,
// burned or cancelled, and replaced; a shortage raises the price, which
// draws in more sellers. Card-breaking arrests the sellers of active cards.
#include <algorithm>
#include <atomic>
#include <cmath>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

void Simulation::deactivate_card(CardId card, CardState state) {
  Cards& cards = world_.cards;
  if (cards.state[card] != static_cast<std::uint8_t>(CardState::active)) return;
  auto& list = cards.kind[card] == static_cast<std::uint8_t>(CardKind::bank) ? world_.groups.bank_cards[cards.group[card]]
                                                                             : world_.groups.sim_cards[cards.group[card]];
  const std::uint32_t slot = cards.slot[card];
  list[slot] = list.back();
  cards.slot[list[slot]] = slot;
  list.pop_back();
  cards.state[card] = static_cast<std::uint8_t>(state);
}

CardId Simulation::issue_card(ResidentId seller, std::uint16_t group, CardKind kind) {
  const auto card = static_cast<CardId>(world_.cards.size());
  add_card_rows(1);
  fill_card(card, seller, group, kind);
  return card;
}

void Simulation::add_card_rows(std::int64_t count) {
  Cards& cards = world_.cards;
  const auto size = static_cast<std::size_t>(cards.size() + count);
  cards.seller.resize(size);
  cards.group.resize(size);
  cards.kind.resize(size);
  cards.state.resize(size);
  cards.uses_left.resize(size);
  cards.slot.resize(size);
}

// Fills a card's row and puts it on its group's active list. Cards of
// different groups can be filled at once: a group's lists are its own, and
// a seller's count of cards sold (which may sell to two groups on one day)
// is raised atomically, saturating, so the order does not matter.
void Simulation::fill_card(CardId card, ResidentId seller, std::uint16_t group, CardKind kind) {
  Cards& cards = world_.cards;
  auto& list = kind == CardKind::bank ? world_.groups.bank_cards[group] : world_.groups.sim_cards[group];
  cards.seller[card] = seller;
  cards.group[card] = group;
  cards.kind[card] = static_cast<std::uint8_t>(kind);
  cards.state[card] = static_cast<std::uint8_t>(CardState::active);
  cards.uses_left[card] = static_cast<std::int32_t>(params_.cards.payments_per_bank_card);
  cards.slot[card] = static_cast<std::uint32_t>(list.size());
  list.push_back(card);
  std::atomic_ref<std::uint8_t> sold(world_.residents.cards_sold[seller]);
  std::uint8_t count = sold.load(std::memory_order_relaxed);
  while (count < 255 && !sold.compare_exchange_weak(count, static_cast<std::uint8_t>(count + 1), std::memory_order_relaxed)) {
  }
}

void Simulation::trade_cards(std::int32_t day) {
  const Parameters& s = params_;
  const Cards& cp = world_.cards;
  World& w = world_;
  DayCounts& t = today(day);
  const Levers& levers = w.levers;
  const std::int64_t num_groups = w.groups.size();

  // Phone cards burn out or are cancelled; card-breaking finds sellers of
  // active cards. How many is drawn as a count, then which ones, from the
  // group's list (whose order is itself deterministic). A group's wear
  // touches only its own cards, so groups wear in parallel; arrests change
  // residents, so card-breaking goes group by group after.
  const engine::Stream wear(seed_, "card_wear"), breaking(seed_, "card_breaking");
  const double lost = 1.0 - (1.0 - 1.0 / s.cards.sim_lifetime_days) * (1.0 - levers.sim_cancellation_per_day);
  engine::parallel_for(
      num_groups,
      [&](std::int64_t g) {
        auto& sims = w.groups.sim_cards[g];
        auto draws = wear.draws(static_cast<std::uint64_t>(g), day);
        for (std::int64_t k = draws.binomial(static_cast<std::int64_t>(sims.size()), lost); k > 0; --k)
          deactivate_card(sims[draws.below(sims.size())], CardState::cancelled);
      },
      /*grain=*/1);
  if (levers.seller_arrest_probability_per_day > 0)
    for (std::int64_t g = 0; g < num_groups; ++g) {
      auto& sims = w.groups.sim_cards[g];
      auto& bank = w.groups.bank_cards[g];
      auto found = breaking.draws(static_cast<std::uint64_t>(g), day);
      const auto active = static_cast<std::int64_t>(bank.size() + sims.size());
      for (std::int64_t k = found.binomial(active, levers.seller_arrest_probability_per_day); k > 0; --k) {
        const std::uint64_t which = found.below(bank.size() + sims.size());
        const CardId card = which < bank.size() ? bank[which] : sims[which - bank.size()];
        deactivate_card(card, cp.kind[card] == static_cast<std::uint8_t>(CardKind::bank) ? CardState::frozen : CardState::cancelled);
        if (arrest(cp.seller[card], Offence::card_selling, day, found)) ++t[int(Series::card_sellers_arrested)];
      }
    }

  // Each group buys towards its targets, in proportion to what it lacks.
  // Groups shop in parallel (buying changes no resident's status); the
  // cards are issued after, group by group, so card ids follow one order.
  std::vector<std::int64_t> workforce(static_cast<std::size_t>(num_groups), 0);
  for (std::int64_t c = 0; c < w.compounds.size(); ++c)
    if (w.compounds.open[c]) workforce[w.compounds.group[c]] += w.compounds.workforce[c];
  const std::uint64_t n = static_cast<std::uint64_t>(w.residents.size());
  const engine::Stream market(seed_, "card_market");
  std::vector<std::array<std::vector<ResidentId>, 2>> bought(static_cast<std::size_t>(num_groups));
  engine::parallel_for(
      num_groups,
      [&](std::int64_t g) {
        if (w.groups.dismantled[g]) return;
        const std::array<std::pair<CardKind, double>, 2> wanted = {
            {{CardKind::bank, s.cards.bank_cards_per_worker * workforce[g]}, {CardKind::sim, s.cards.sim_cards_per_worker * workforce[g]}}};
        for (const auto& [kind, target] : wanted) {
          const auto& list = kind == CardKind::bank ? w.groups.bank_cards[g] : w.groups.sim_cards[g];
          auto& sellers = bought[g][static_cast<std::size_t>(kind)];
          const double stock = static_cast<double>(list.size());
          // Scarcity pricing, from the bank-card stock that payments need.
          if (kind == CardKind::bank)
            w.groups.card_price_yuan[g] = s.cards.reference_price_yuan *
                engine::det::exp(s.cards.price_response * engine::det::log((target + 1.0) / (stock + 1.0)));
          const double missing = target - stock;
          if (missing <= 0) continue;
          auto draws = market.draws(static_cast<std::uint64_t>(g) * 2 + static_cast<std::uint64_t>(kind), day);
          const std::int64_t approaches = draws.poisson(s.cards.approaches_per_missing_card_per_day * missing);
          const double price_pull = engine::det::exp(
              s.cards.price_elasticity * engine::det::log(w.groups.card_price_yuan[g] / s.cards.reference_price_yuan));
          // Approaches go to residents at random; only those willing to sell can
          // say yes, so draw how many approaches reach one (exact: a binomial
          // thinning of uniform draws) and skip the rest.
          const auto& willing = w.card_sellers;
          const std::int64_t reached =
              willing.empty() ? 0 : draws.binomial(approaches, static_cast<double>(willing.size()) / static_cast<double>(n));
          for (std::int64_t k = 0; k < reached; ++k) {
            const ResidentId r = willing[draws.below(willing.size())];
            if (!w.residents.at_home(r)) {
              (void)draws.uniform();  // every approach uses the same draws, sold or not
              continue;
            }
            const double reoffend = w.residents.convicted(r) ? s.justice.reoffending_factor : 1.0;
            if (!draws.bernoulli(std::min(1.0, price_pull * reoffend) * (1.0 - levers.card_sale_deterrence))) continue;
            sellers.push_back(r);
            if (stock + static_cast<double>(sellers.size()) >= target) break;
          }
        }
      },
      /*grain=*/1);
  // Card ids follow the groups' order, then bank before phone cards, then
  // the order of purchase; each group fills its own ids.
  std::vector<std::int64_t> first_card(static_cast<std::size_t>(num_groups) + 1, w.cards.size());
  for (std::int64_t g = 0; g < num_groups; ++g)
    first_card[g + 1] = first_card[g] + static_cast<std::int64_t>(bought[g][0].size() + bought[g][1].size());
  add_card_rows(first_card.back() - w.cards.size());
  t[int(Series::cards_sold)] += first_card.back() - first_card.front();
  engine::parallel_for(
      num_groups,
      [&](std::int64_t g) {
        auto card = static_cast<CardId>(first_card[g]);
        for (const CardKind kind : {CardKind::bank, CardKind::sim})
          for (const ResidentId r : bought[g][static_cast<std::size_t>(kind)])
            fill_card(card++, r, static_cast<std::uint16_t>(g), kind);
      },
      /*grain=*/1);
}

}  // namespace fraudsim::model
