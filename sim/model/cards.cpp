#include "model/cards.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <sstream>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"

namespace fraudsim::model {

CardsModule::CardsModule(const Context& ctx, const Levers& levers, JusticeModule& justice)
    : ctx_(ctx), levers_(levers), justice_(justice), sellers_(ctx, levers) {
  price_.reserve(static_cast<std::size_t>(ctx.calendar.num_days()));
}

std::vector<CardId>& CardsModule::active_list(std::uint16_t group, CardKind kind) const {
  Groups& groups = ctx_.world.groups;
  return kind == CardKind::bank ? groups.bank_cards[group] : groups.sim_cards[group];
}

void CardsModule::deactivate(CardId card, CardState state) {
  Cards& cards = ctx_.world.cards;
  if (cards.state[card] != static_cast<std::uint8_t>(CardState::active)) return;
  auto& list = active_list(cards.group[card], static_cast<CardKind>(cards.kind[card]));
  const std::uint32_t slot = cards.slot[card];
  list[slot] = list.back();
  cards.slot[list[slot]] = slot;
  list.pop_back();
  cards.state[card] = static_cast<std::uint8_t>(state);
}

CardId CardsModule::issue(ResidentId seller, std::uint16_t group, CardKind kind) {
  const auto card = static_cast<CardId>(ctx_.world.cards.size());
  ctx_.world.cards.resize(card + 1);
  fill(card, seller, group, kind);
  return card;
}

// Fills a card's row and puts it on its group's active list. Cards of
// different groups can be filled at once: a group's lists are its own, and
// a seller's count of cards sold (which may sell to two groups on one day)
// is raised atomically, saturating, so the order does not matter.
void CardsModule::fill(CardId card, ResidentId seller, std::uint16_t group, CardKind kind) {
  Cards& cards = ctx_.world.cards;
  auto& list = active_list(group, kind);
  cards.seller[card] = seller;
  cards.group[card] = group;
  cards.kind[card] = static_cast<std::uint8_t>(kind);
  cards.state[card] = static_cast<std::uint8_t>(CardState::active);
  cards.uses_left[card] = static_cast<std::int32_t>(ctx_.params.cards.payments_per_bank_card);
  cards.slot[card] = static_cast<std::uint32_t>(list.size());
  list.push_back(card);
  std::atomic_ref<std::uint8_t> sold(ctx_.world.residents.cards_sold[seller]);
  std::uint8_t count = sold.load(std::memory_order_relaxed);
  while (count < 255 && !sold.compare_exchange_weak(count, static_cast<std::uint8_t>(count + 1), std::memory_order_relaxed)) {
  }
}

void CardsModule::stock_initial() {
  const Parameters& s = ctx_.params;
  const World& w = ctx_.world;
  const Residents& res = w.residents;
  const std::int64_t n = res.size(), num_groups = w.groups.size();
  const engine::Stream initial_cards = ctx_.stream("initial_cards");
  std::vector<std::int64_t> workforce(static_cast<std::size_t>(num_groups), 0);
  for (std::int64_t c = 0; c < w.compounds.size(); ++c) workforce[w.compounds.group[c]] += w.compounds.workforce[c];
  if (sellers_.enabled()) {
    stock_from_networks(workforce);
    return;
  }
  // Each card's seller is drawn on its own stream, in parallel (nobody's
  // status changes here); the cards are issued after, in order.
  struct Purchase {
    std::uint16_t group;
    CardKind kind;
    std::int64_t number;
    ResidentId seller;
    bool found;
  };
  std::vector<Purchase> purchases;
  for (std::int64_t g = 0; g < num_groups; ++g)
    for (const auto& [kind, per_worker] : {std::pair{CardKind::bank, s.cards.bank_cards_per_worker},
                                           std::pair{CardKind::sim, s.cards.sim_cards_per_worker}}) {
      const std::int64_t target = std::llround(per_worker * static_cast<double>(workforce[g]));
      for (std::int64_t k = 0; k < target; ++k) purchases.push_back({static_cast<std::uint16_t>(g), kind, k, 0, false});
    }
  engine::parallel_for(
      static_cast<std::int64_t>(purchases.size()),
      [&](std::int64_t i) {
        Purchase& purchase = purchases[static_cast<std::size_t>(i)];
        auto draws = initial_cards.draws(static_cast<std::uint64_t>(purchase.group) << 33 |
                                             static_cast<std::uint64_t>(purchase.kind) << 32 |
                                             static_cast<std::uint64_t>(purchase.number), 0);
        ResidentId r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
        for (int tries = 0; tries < 10000 && !(res.card_seller(r) && res.at_home(r)); ++tries)
          r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
        purchase.seller = r;
        purchase.found = res.card_seller(r) && res.at_home(r);
      },
      /*grain=*/64);
  for (const Purchase& purchase : purchases)
    if (purchase.found) issue(purchase.seller, purchase.group, purchase.kind);
}

// Sellers recruited by card gangs, when the scenario has them: they hold
// each group's first stock, each supplying their own few cards.
void CardsModule::stock_from_networks(const std::vector<std::int64_t>& workforce) {
  const CardParameters& c = ctx_.params.cards;
  sellers_.start();
  for (std::int64_t g = 0; g < static_cast<std::int64_t>(workforce.size()); ++g)
    for (const auto& [kind, per_worker] : {std::pair{CardKind::bank, c.bank_cards_per_worker}, std::pair{CardKind::sim, c.sim_cards_per_worker}}) {
      const std::int64_t target = std::llround(per_worker * static_cast<double>(workforce[g]));
      for (const ResidentId seller : sellers_.supply_initial(static_cast<std::uint16_t>(g), kind, target))
        issue(seller, static_cast<std::uint16_t>(g), kind);
    }
  sellers_.count_initial_gangs();
}

void CardsModule::trade(std::int32_t day) {
  if (sellers_.enabled())
    sellers_.tend(day, gang_rebuild_pull());
  else
    break_networks(day);
  wear_phone_cards(day);
  if (levers_.seller_arrest_probability_per_day > 0) break_cards(day);
  issue_bought(sellers_.enabled() ? buy_from_sellers(day) : shop(day), day);
  if (sellers_.enabled()) recruit_sellers(day);
}

// Workers (agents) in each group's open compounds.
std::vector<std::int64_t> CardsModule::open_workforce() const {
  const World& w = ctx_.world;
  std::vector<std::int64_t> workforce(static_cast<std::size_t>(w.groups.size()), 0);
  for (std::int64_t c = 0; c < w.compounds.size(); ++c)
    if (w.compounds.open[c]) workforce[w.compounds.group[c]] += w.compounds.workforce[c];
  return workforce;
}

// Scarcity pricing, from the stock of a kind against its target.
static double scarcity(const CardParameters& c, double target, double stock) {
  return engine::det::exp(c.price_response * engine::det::log((target + 1.0) / (stock + 1.0)));
}

// With card gangs: each group buys what it lacks from its own active
// sellers, at the same scarcity price as the market without gangs. Groups
// buy in parallel (each touches only its own sellers).
CardsModule::Purchases CardsModule::buy_from_sellers(std::int32_t day) {
  const CardParameters& c = ctx_.params.cards;
  World& w = ctx_.world;
  const std::vector<std::int64_t> workforce = open_workforce();
  const double premium = risk_premium();
  Purchases bought(static_cast<std::size_t>(w.groups.size()));
  sellers_.sort_gone();
  engine::parallel_for(
      w.groups.size(),
      [&](std::int64_t g) {
        if (w.groups.dismantled[g]) return;
        const auto group = static_cast<std::uint16_t>(g);
        for (const auto& [kind, per_worker] : {std::pair{CardKind::bank, c.bank_cards_per_worker}, std::pair{CardKind::sim, c.sim_cards_per_worker}}) {
          const double target = per_worker * static_cast<double>(workforce[g]);
          const auto stock = static_cast<double>(active_list(group, kind).size());
          if (kind == CardKind::bank) w.groups.card_price_yuan[g] = c.reference_price_yuan * scarcity(c, target, stock) * premium;
          if (target > stock) sellers_.sell(group, kind, target - stock, day, bought[g][static_cast<std::size_t>(kind)]);
        }
      },
      /*grain=*/1);
  return bought;
}

// Each group's gangs recruit while its stock, with what its sellers can
// still sell, falls short of its targets; sellers answer the scarcity part
// of the price (not the risk premium, which pays for the risk they take).
// Group by group: a resident sells to one group at a time.
void CardsModule::recruit_sellers(std::int32_t day) {
  const CardParameters& c = ctx_.params.cards;
  const World& w = ctx_.world;
  const std::vector<std::int64_t> workforce = open_workforce();
  const double premium = risk_premium();
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    if (w.groups.dismantled[g]) continue;
    const auto group = static_cast<std::uint16_t>(g);
    std::array<double, 2> shortfall{};
    for (const auto& [kind, per_worker] : {std::pair{CardKind::bank, c.bank_cards_per_worker}, std::pair{CardKind::sim, c.sim_cards_per_worker}})
      shortfall[static_cast<std::size_t>(kind)] = per_worker * static_cast<double>(workforce[g]) -
                                                  static_cast<double>(active_list(group, kind).size()) -
                                                  static_cast<double>(sellers_.cards_left(group, kind));
    const double price_pull = engine::det::exp(c.price_elasticity * engine::det::log(w.groups.card_price_yuan[g] / (c.reference_price_yuan * premium)));
    sellers_.recruit(group, shortfall, price_pull, day);
  }
}

// Phone cards burn out or are cancelled; card-breaking finds sellers of
// active cards. How many is drawn as a count, then which ones, from the
// group's list (whose order is itself deterministic). A group's wear
// touches only its own cards, so groups wear in parallel; arrests change
// residents, so card-breaking goes group by group after.
void CardsModule::wear_phone_cards(std::int32_t day) {
  World& w = ctx_.world;
  const engine::Stream wear = ctx_.stream("card_wear");
  const double lost = 1.0 - (1.0 - 1.0 / ctx_.params.cards.sim_lifetime_days) * (1.0 - levers_.sim_cancellation_per_day);
  engine::parallel_for(
      w.groups.size(),
      [&](std::int64_t g) {
        auto& sims = w.groups.sim_cards[g];
        auto draws = wear.draws(static_cast<std::uint64_t>(g), day);
        for (std::int64_t k = draws.binomial(static_cast<std::int64_t>(sims.size()), lost); k > 0; --k)
          deactivate(sims[draws.below(sims.size())], CardState::cancelled);
      },
      /*grain=*/1);
}

void CardsModule::break_cards(std::int32_t day) {
  World& w = ctx_.world;
  const Cards& cp = w.cards;
  const engine::Stream breaking = ctx_.stream("card_breaking");
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    auto& sims = w.groups.sim_cards[g];
    auto& bank = w.groups.bank_cards[g];
    auto found = breaking.draws(static_cast<std::uint64_t>(g), day);
    const auto active = static_cast<std::int64_t>(bank.size() + sims.size());
    for (std::int64_t k = found.binomial(active, levers_.seller_arrest_probability_per_day); k > 0; --k) {
      const std::uint64_t which = found.below(bank.size() + sims.size());
      const CardId card = which < bank.size() ? bank[which] : sims[which - bank.size()];
      deactivate(card, cp.kind[card] == static_cast<std::uint8_t>(CardKind::bank) ? CardState::frozen : CardState::cancelled);
      justice_.arrest(cp.seller[card], Offence::card_selling, day, found);
    }
  }
}

// Each group buys towards its targets, in proportion to what it lacks.
// Groups shop in parallel (buying changes no resident's status); the cards
// are issued after, group by group, so card ids follow one order.
CardsModule::Purchases CardsModule::shop(std::int32_t day) {
  const Parameters& s = ctx_.params;
  World& w = ctx_.world;
  const Levers& levers = levers_;
  const std::int64_t num_groups = w.groups.size();
  const std::vector<std::int64_t> workforce = open_workforce();
  const std::uint64_t n = static_cast<std::uint64_t>(w.residents.size());
  const engine::Stream market = ctx_.stream("card_market");
  const double premium = risk_premium();
  const double supplied = share_supplied();
  Purchases bought(static_cast<std::size_t>(num_groups));
  engine::parallel_for(
      num_groups,
      [&](std::int64_t g) {
        if (w.groups.dismantled[g]) return;
        const std::array<std::pair<CardKind, double>, 2> wanted = {
            {{CardKind::bank, s.cards.bank_cards_per_worker * workforce[g]}, {CardKind::sim, s.cards.sim_cards_per_worker * workforce[g]}}};
        for (const auto& [kind, target] : wanted) {
          const auto& list = active_list(static_cast<std::uint16_t>(g), kind);
          auto& sellers = bought[g][static_cast<std::size_t>(kind)];
          const double stock = static_cast<double>(list.size());
          // Scarcity pricing, from the bank-card stock that payments need;
          // sellers answer the scarcity part, the risk premium only pays
          // them for the risk they take.
          const double scarce = scarcity(s.cards, target, stock);
          if (kind == CardKind::bank) w.groups.card_price_yuan[g] = s.cards.reference_price_yuan * scarce * premium;
          const double missing = target - stock;
          if (missing <= 0) continue;
          auto draws = market.draws(static_cast<std::uint64_t>(g) * 2 + static_cast<std::uint64_t>(kind), day);
          const std::int64_t approaches = draws.poisson(s.cards.approaches_per_missing_card_per_day * missing);
          const double price_pull = engine::det::exp(s.cards.price_elasticity * engine::det::log(scarce));
          // Approaches go to residents at random; only those willing to sell can
          // say yes, so draw how many approaches reach one (exact: a binomial
          // thinning of uniform draws) and skip the rest.
          const auto& willing = w.card_sellers;
          const std::int64_t reached =
              willing.empty() ? 0 : draws.binomial(approaches, static_cast<double>(willing.size()) / static_cast<double>(n) * supplied);
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
  return bought;
}

// Card gangs, as a share of the willing sellers: yesterday's arrests of
// card sellers (every route, all counted by then) break gangs, each cutting
// its sellers off; broken gangs are rebuilt at a constant rate. An agent
// arrest stands for `scale` arrests, each breaking a gang of
// network_size_sellers people (network_size_sellers / scale agents), so
// the sellers cut off per agent arrest do not depend on the scale. Kept as
// a real number of agents, never rounded.
void CardsModule::break_networks(std::int32_t day) {
  const CardParameters& c = ctx_.params.cards;
  if (c.network_size_sellers <= 0 || day == 0) return;
  const auto arrested = static_cast<double>(ctx_.today(day - 1)[int(Series::card_sellers_arrested)]);
  sellers_cut_off_ *= 1.0 - std::min(1.0, rebuild_pull() / c.network_rebuild_days);
  sellers_cut_off_ += arrested * c.network_break_per_arrest * c.network_size_sellers;
  sellers_cut_off_ = std::min(sellers_cut_off_, static_cast<double>(ctx_.world.card_sellers.size()));
}

// A dear card pays a gang to recruit sellers again sooner: the rebuild rate's
// multiplier, from yesterday's average price (1 without the response).
double CardsModule::rebuild_pull() const {
  const CardParameters& c = ctx_.params.cards;
  if (c.network_recruitment_price_elasticity <= 0 || price_.empty()) return 1.0;
  return engine::det::exp(c.network_recruitment_price_elasticity * engine::det::log(price_.back() / c.reference_price_yuan));
}

// With card gangs, their margin is what pays a gang to recruit again: the
// scarcity part of yesterday's average price, not the risk premium that
// goes to the sellers (1 without the response).
double CardsModule::gang_rebuild_pull() const {
  const CardParameters& c = ctx_.params.cards;
  if (c.network_recruitment_price_elasticity <= 0 || price_.empty()) return 1.0;
  return engine::det::exp(c.network_recruitment_price_elasticity *
                          engine::det::log(price_.back() / (c.reference_price_yuan * risk_premium())));
}

// Share of the willing sellers whose gang still supplies the market.
double CardsModule::share_supplied() const {
  const auto willing = static_cast<double>(ctx_.world.card_sellers.size());
  return willing > 0 ? 1.0 - sellers_cut_off_ / willing : 1.0;
}

// Sellers' price multiplier for the yearly risk of arrest that card-breaking
// puts on the seller of an active card.
double CardsModule::risk_premium() const {
  const double yearly_risk = 1.0 - engine::det::exp(365.0 * engine::det::log(1.0 - std::min(levers_.seller_arrest_probability_per_day, 0.999)));
  return 1.0 + ctx_.params.cards.risk_premium * yearly_risk;
}

// Card ids follow the groups' order, then bank before phone cards, then the
// order of purchase; each group fills its own ids.
void CardsModule::issue_bought(const Purchases& bought, std::int32_t day) {
  World& w = ctx_.world;
  const std::int64_t num_groups = w.groups.size();
  std::vector<std::int64_t> first_card(static_cast<std::size_t>(num_groups) + 1, w.cards.size());
  for (std::int64_t g = 0; g < num_groups; ++g)
    first_card[g + 1] = first_card[g] + static_cast<std::int64_t>(bought[g][0].size() + bought[g][1].size());
  w.cards.resize(first_card.back());
  ctx_.today(day)[int(Series::cards_sold)] += first_card.back() - first_card.front();
  engine::parallel_for(
      num_groups,
      [&](std::int64_t g) {
        auto card = static_cast<CardId>(first_card[g]);
        for (const CardKind kind : {CardKind::bank, CardKind::sim})
          for (const ResidentId r : bought[g][static_cast<std::size_t>(kind)])
            fill(card++, r, static_cast<std::uint16_t>(g), kind);
      },
      /*grain=*/1);
}

void CardsModule::record(std::int32_t day) {
  const World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  std::int64_t bank = 0, sim = 0;
  double price_weighted = 0, weight = 0;
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    bank += static_cast<std::int64_t>(w.groups.bank_cards[g].size());
    sim += static_cast<std::int64_t>(w.groups.sim_cards[g].size());
    if (!w.groups.dismantled[g]) {
      price_weighted += w.groups.card_price_yuan[g];
      weight += 1;
    }
  }
  t[int(Series::mule_cards_active)] = bank;
  t[int(Series::sim_cards_active)] = sim;
  t[int(Series::card_sellers_cut_off)] = std::llround(sellers_cut_off_);
  sellers_.record(t);
  price_.push_back(weight > 0 ? price_weighted / weight : ctx_.params.cards.reference_price_yuan);
}

std::string CardsModule::check() const {
  std::ostringstream problems;
  const World& w = ctx_.world;
  for (std::int64_t g = 0; g < w.groups.size(); ++g)
    for (const auto* list : {&w.groups.bank_cards[g], &w.groups.sim_cards[g]})
      for (std::size_t k = 0; k < list->size(); ++k) {
        const CardId card = (*list)[k];
        if (w.cards.state[card] != static_cast<std::uint8_t>(CardState::active) || w.cards.slot[card] != k ||
            w.cards.group[card] != g)
          problems << "card " << card << " is listed as active in group " << g << " but is not\n";
      }
  problems << sellers_.check();
  return problems.str();
}

}  // namespace fraudsim::model
