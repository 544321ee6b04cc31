#include "model/laundering.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/det_math.hpp"
#include "model/population.hpp"

namespace fraudsim::model {

std::int64_t LaunderingModule::card_account(CardId card) { return 10'000'000'000LL + card; }

// Accounts of the hops that use no card: a pool of 16 per group and hop; the
// group's own account at the end. Documented in docs/output.md.
std::int64_t LaunderingModule::hop_account(int hop, std::uint16_t group, std::uint32_t payment) {
  if (hop >= num_hops) return 90'000'000'000LL + group;
  return (hop + 1) * 10'000'000'000LL + group * 100LL + payment % 16;
}

// Launderers are residents: arrested, they go through the justice pipeline
// like anyone else.
void LaunderingModule::hire_initial() {
  const Parameters& s = ctx_.params;
  World& w = ctx_.world;
  const engine::Stream helpers = ctx_.stream("initial_helpers");
  const std::int64_t launderers = std::llround(s.laundering.launderers_per_group / static_cast<double>(s.scale));
  for (std::int64_t g = 0; g < w.groups.size(); ++g)
    for (std::int64_t k = 0; k < std::max<std::int64_t>(1, launderers); ++k) {
      auto draws = helpers.draws(static_cast<std::uint64_t>(g) << 32 | static_cast<std::uint64_t>(k), 1);
      w.groups.launderers[g].push_back(someone_at_home(w.residents, {}, draws));
    }
}

std::vector<std::string> LaunderingModule::route_names() const {
  std::vector<std::string> names;
  for (const LaunderingRoute& route : ctx_.params.laundering.routes) names.push_back(route.name);
  if (names.empty()) names.emplace_back("bank_cards");
  return names;
}

void LaunderingModule::pay_in(ResidentId victim, std::uint16_t group, std::uint8_t category, CardId card,
                              std::int64_t amount_yuan, std::int32_t day, int route) {
  World& w = ctx_.world;
  // The payment's number keys its draws; the payment itself is kept only
  // for the transactions table (16 bytes each, about 1.5 bytes per
  // resident at 1:10 otherwise).
  const auto payment = payments_made_++;
  if (ctx_.options.record_transactions) w.payments.push_back({victim, group, category, card, day});
  total_losses_ += amount_yuan;
  route_totals_[static_cast<std::size_t>(route)].losses_yuan += amount_yuan;
  RouteFlows& flows = route_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))][static_cast<std::size_t>(route)];
  ++flows.payments;
  flows.paid_in_yuan += amount_yuan;
  const Transfer transfer{amount_yuan, payment, card, group, 0, false,
                          day + static_cast<std::int32_t>(ctx_.params.laundering.hops[0].delay_days), static_cast<std::uint8_t>(route),
                          day};
  if (!ctx_.params.laundering.routes.empty()) {
    enter_route(transfer, victim, day);
    return;
  }
  transfers_.push_back(transfer);
  HopFlows& first = hop_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))][0];
  first.entered_yuan += amount_yuan;
  first.paid_in_yuan += amount_yuan;
  if (ctx_.options.record_transactions)
    w.transactions.push_back({day, static_cast<std::int64_t>(victim), card_account(card), amount_yuan, payment,
                              /*hop: from the victim*/ 0, false, false, false, transfer.route});
}

// The route's own chances and cost, met once at entry (draws keyed by the
// payment), then the money waits at its entry hop like any transfer there.
void LaunderingModule::enter_route(Transfer transfer, ResidentId victim, std::int32_t day) {
  const Laundering& l = ctx_.params.laundering;
  const LaunderingRoute& route = l.routes[transfer.route];
  const int entry = route.entry();
  auto draws = entry_stream_.draws(transfer.payment, 0);
  const bool frozen = draws.bernoulli(entry_freeze(transfer.route));
  const bool traced = draws.bernoulli(route.trace_probability);
  if (traced) {
    auto lead = leads_.draws(transfer.payment, num_hops);  // a key no hop uses
    if (lead.bernoulli(l.arrest_per_lead)) {
      if (transfer.card != no_card) {
        justice_.arrest(ctx_.world.cards.seller[transfer.card], Offence::card_selling, day, lead);
        cards_.deactivate(transfer.card, CardState::frozen);
      } else {
        arrest_launderer(transfer.group, day, lead);
      }
    }
  }
  // The victim's row carries the whole payment; the route's commission shows
  // in the amount the entry passes on, as a hop's does.
  const std::int64_t there = frozen ? -1 : transfer.card != no_card ? card_account(transfer.card) : hop_account(entry, transfer.group, transfer.payment);
  if (ctx_.options.record_transactions)
    ctx_.world.transactions.push_back({day, static_cast<std::int64_t>(victim), there, transfer.amount_yuan, transfer.payment, 0, frozen, traced, false, transfer.route});
  HopFlows& at = hop_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))][static_cast<std::size_t>(entry)];
  at.entered_yuan += transfer.amount_yuan;
  at.paid_in_yuan += transfer.amount_yuan;
  if (frozen) {
    at.frozen_yuan += transfer.amount_yuan;
    count_frozen(transfer, day);
    if (transfer.card != no_card) cards_.deactivate(transfer.card, CardState::frozen);
    return;
  }
  const auto commission = static_cast<std::int64_t>(std::floor(static_cast<double>(transfer.amount_yuan) * route.commission_share));
  at.commission_yuan += commission;
  count_commission(transfer, commission, day);
  transfer.amount_yuan -= commission;
  transfer.hop = static_cast<std::uint8_t>(entry);
  transfer.due_day = day + static_cast<std::int32_t>(route.delay_days + l.hops[static_cast<std::size_t>(entry)].delay_days);
  transfers_.push_back(transfer);
}

void LaunderingModule::count_frozen(const Transfer& transfer, std::int32_t day) {
  ctx_.today(day)[int(Series::payments_stopped_yuan)] += transfer.amount_yuan;
  total_frozen_ += transfer.amount_yuan;
  route_totals_[transfer.route].frozen_yuan += transfer.amount_yuan;
  route_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))][transfer.route].frozen_yuan += transfer.amount_yuan;
}

void LaunderingModule::count_commission(const Transfer& transfer, std::int64_t commission, std::int32_t day) {
  ctx_.today(day)[int(Series::commissions_yuan)] += commission;
  total_commissions_ += commission;
  route_totals_[transfer.route].commission_yuan += commission;
  route_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))][transfer.route].commission_yuan += commission;
}

// Today's chance that money paid in by a route is frozen at its entry.
double LaunderingModule::entry_freeze(int route) const {
  const LaunderingRoute& r = ctx_.params.laundering.routes[static_cast<std::size_t>(route)];
  return 1.0 - (1.0 - r.freeze_probability) * (1.0 - levers_.entry_freeze_probability[static_cast<std::size_t>(r.entry())]);
}

// The share of a payment a group expects to receive by a route today: what
// escapes freezing and commissions at entry and at every hop from there on,
// times the victims who manage to pay that way.
double LaunderingModule::retained_share(int route) const {
  const Laundering& l = ctx_.params.laundering;
  const LaunderingRoute& r = l.routes[static_cast<std::size_t>(route)];
  double kept = (1.0 - entry_freeze(route)) * (1.0 - r.commission_share) * r.completion_probability;
  for (int h = r.entry(); h < num_hops; ++h) {
    const HopParameters& at = l.hops[static_cast<std::size_t>(h)];
    kept *= (1.0 - at.freeze_probability) * (1.0 - levers_.freeze_probability[h]) * (1.0 - at.commission_share);
  }
  return kept;
}

// Groups weigh routes by the share they expect to keep, net of the card a
// card route uses up (its price spread over the payments it takes), and
// move their payments towards today's choice with a lag: new routes need
// contacts, wallets and merchant accounts before they carry money.
void LaunderingModule::weigh_routes() {
  const Laundering& l = ctx_.params.laundering;
  const auto num_routes = static_cast<std::int64_t>(l.routes.size());
  if (num_routes == 0) return;
  const World& w = ctx_.world;
  const std::int64_t num_groups = w.groups.size();
  std::vector<double> kept(static_cast<std::size_t>(num_routes));
  best_card_free_ = best_card_route_ = -1;
  for (std::int64_t r = 0; r < num_routes; ++r) {
    kept[r] = retained_share(static_cast<int>(r));
    int& best = l.routes[r].needs_card() ? best_card_route_ : best_card_free_;
    if (best < 0 || kept[r] > kept[best]) best = static_cast<int>(r);
  }
  const bool first = route_share_.empty();
  route_share_.resize(static_cast<std::size_t>(num_groups * num_routes));
  const double pace = first ? 1.0 : 1.0 - engine::det::exp(-1.0 / l.route_switch_days);
  const double card_cost_share = 1.0 / (static_cast<double>(ctx_.params.cards.payments_per_bank_card) * l.typical_payment_yuan);
  std::vector<double> target(static_cast<std::size_t>(num_routes));
  for (std::int64_t g = 0; g < num_groups; ++g) {
    double total = 0;
    for (std::int64_t r = 0; r < num_routes; ++r) {
      const double cost = l.routes[r].needs_card() ? w.groups.card_price_yuan[g] * card_cost_share : 0.0;
      target[r] = engine::det::exp(l.route_elasticity * engine::det::log(std::max(kept[r] - cost, 1e-6)));
      total += target[r];
    }
    for (std::int64_t r = 0; r < num_routes; ++r) {
      double& share = route_share_[static_cast<std::size_t>(g * num_routes + r)];
      share += (target[r] / total - share) * pace;
    }
  }
}

RouteChoice LaunderingModule::choose_route(std::uint16_t group, std::uint64_t con, std::uint8_t number, bool has_card) const {
  const Laundering& l = ctx_.params.laundering;
  if (l.routes.empty()) return {has_card ? 0 : -1, false, false};
  const auto num_routes = l.routes.size();
  auto draws = route_stream_.draws(con, number);
  double u = draws.uniform();
  std::size_t route = 0;
  for (const double* share = &route_share_[group * num_routes]; route + 1 < num_routes && u >= share[route]; ++route)
    u -= share[route];
  RouteChoice choice{static_cast<int>(route), false, false};
  if (l.routes[route].needs_card() && !has_card) {
    if (best_card_free_ < 0) return {-1, false, false};
    choice = {best_card_free_, true, false};
  }
  // A victim who cannot pay that way (no crypto-asset bought, no platform
  // account) is given a mule card to pay into, if the group has one.
  if (!draws.bernoulli(l.routes[static_cast<std::size_t>(choice.route)].completion_probability)) {
    if (has_card && best_card_route_ >= 0) return {best_card_route_, false, false};
    choice.abandoned = true;
  }
  return choice;
}

// A traced transfer is a lead to the person behind its hop: the seller of
// the card it sits on, one of the group's launderers, or (virtual currency)
// a financier.
void LaunderingModule::follow_lead(const Transfer& transfer, std::int32_t day) {
  const Parameters& s = ctx_.params;
  World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  const int hop = transfer.hop;
  auto lead = leads_.draws(transfer.payment, hop);
  if (lead.bernoulli(s.laundering.arrest_per_lead)) {
    if (hop_uses_card(hop)) {
      justice_.arrest(w.cards.seller[transfer.card], Offence::card_selling, day, lead);
      cards_.deactivate(transfer.card, CardState::frozen);
    } else if (hop != static_cast<int>(Hop::virtual_currency)) {
      arrest_launderer(transfer.group, day, lead);
    }
  }
  if (hop == static_cast<int>(Hop::virtual_currency) && w.groups.financiers[transfer.group] > 0 &&
      lead.bernoulli(s.laundering.financier_arrest_per_lead)) {
    --w.groups.financiers[transfer.group];
    ++t[int(Series::financiers_arrested)];
    ctx_.log_event(day, EventType::financier_arrest, -1, w.groups.home_jurisdiction[transfer.group], transfer.group, 1);
  }
}

void LaunderingModule::arrest_launderer(std::uint16_t group, std::int32_t day, engine::Draws& draws) {
  World& w = ctx_.world;
  auto& launderers = w.groups.launderers[group];
  const std::size_t which = draws.below(launderers.size());
  // The group takes on someone new at home in their place.
  if (justice_.arrest(launderers[which], Offence::laundering, day, draws))
    launderers[which] = someone_at_home(w.residents, {}, draws);
}

void LaunderingModule::launder(std::int32_t day) {
  const Parameters& s = ctx_.params;
  World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  const Levers& levers = levers_;
  const bool record_transactions = ctx_.options.record_transactions;
  auto& flows = hop_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))];
  const engine::Stream stream = ctx_.stream("laundering"), next_card = ctx_.stream("laundering_cards");

  std::size_t kept = 0;
  for (std::size_t k = 0; k < transfers_.size(); ++k) {
    Transfer transfer = transfers_[k];
    if (transfer.due_day > day) {
      transfers_[kept++] = transfer;
      continue;
    }
    const int hop = transfer.hop;
    const HopParameters& at = s.laundering.hops[static_cast<std::size_t>(hop)];
    const std::int64_t here = hop_uses_card(hop) ? card_account(transfer.card) : hop_account(hop, transfer.group, transfer.payment);
    // A transfer meets each hop's chances once: its draws are keyed by
    // (payment, hop), whatever the day it is processed.
    auto draws = stream.draws(transfer.payment, hop);
    const double freeze = 1.0 - (1.0 - at.freeze_probability) * (1.0 - levers.freeze_probability[hop]);
    const double trace = 1.0 - (1.0 - at.trace_probability) * (1.0 - levers.trace_probability[hop]);
    const bool frozen = !transfer.waiting && draws.bernoulli(freeze);
    const bool traced = !transfer.waiting && draws.bernoulli(trace);
    if (traced) {
      ++flows[hop].traced;
      follow_lead(transfer, day);
    }
    if (frozen) {
      flows[hop].frozen_yuan += transfer.amount_yuan;
      count_frozen(transfer, day);
      if (hop_uses_card(hop)) cards_.deactivate(transfer.card, CardState::frozen);
      if (record_transactions)
        w.transactions.push_back({day, here, -1, transfer.amount_yuan, transfer.payment, static_cast<std::uint8_t>(hop + 1), true, traced, false, transfer.route});
      continue;
    }

    // Moving on needs somewhere to go: a card for a card hop, a financier to
    // receive it at the end. Without one the money waits a day.
    // Money kept waiting too long for a second-level card takes a costlier
    // route that needs none, straight to the payment channel.
    int next = hop + 1;
    CardId card = no_card;
    bool detour = false;
    if (next < num_hops && hop_uses_card(next)) {
      auto& cards = w.groups.bank_cards[transfer.group];
      if (!cards.empty()) {
        card = cards[next_card.draws(transfer.payment, next).below(cards.size())];
      } else if (detour_due(transfer, day)) {
        detour = true;
        ++next;
      } else {
        transfer.waiting = true;
        transfer.due_day = day + 1;
        transfers_[kept++] = transfer;
        continue;
      }
    } else if (next == num_hops && w.groups.financiers[transfer.group] <= 0) {
      // A dismantled group never receives it: the money is stranded in transit.
      transfer.waiting = true;
      transfer.due_day = day + 1;
      transfers_[kept++] = transfer;
      continue;
    }
    const double commission_share = detour ? s.laundering.detour_commission_share : at.commission_share;
    const auto commission = static_cast<std::int64_t>(std::floor(static_cast<double>(transfer.amount_yuan) * commission_share));
    flows[hop].commission_yuan += commission;
    count_commission(transfer, commission, day);
    transfer.amount_yuan -= commission;
    flows[hop].passed_yuan += transfer.amount_yuan;
    if (detour) t[int(Series::detoured_yuan)] += transfer.amount_yuan;
    const std::int64_t there = card != no_card ? card_account(card) : hop_account(next, transfer.group, transfer.payment);
    if (record_transactions)
      w.transactions.push_back({day, here, there, transfer.amount_yuan, transfer.payment, static_cast<std::uint8_t>(hop + 1), false, traced, detour, transfer.route});
    if (next == num_hops) {
      t[int(Series::laundered_yuan)] += transfer.amount_yuan;
      total_laundered_ += transfer.amount_yuan;
      route_totals_[transfer.route].laundered_yuan += transfer.amount_yuan;
      route_flows_[static_cast<std::size_t>(ctx_.calendar.month_of(day))][transfer.route].laundered_yuan += transfer.amount_yuan;
      continue;
    }
    if (card != no_card) cards_.use(card);
    transfer.hop = static_cast<std::uint8_t>(next);
    transfer.waiting = false;
    transfer.card = card;
    transfer.due_day = day + static_cast<std::int32_t>(s.laundering.hops[static_cast<std::size_t>(next)].delay_days);
    flows[next].entered_yuan += transfer.amount_yuan;
    transfers_[kept++] = transfer;
  }
  transfers_.resize(kept);
}

// Only a first-level card's money waits for a (second-level) card; it has
// waited since it was due to leave: the payment's day plus the hop's delay.
bool LaunderingModule::detour_due(const Transfer& transfer, std::int32_t day) const {
  const Laundering& l = ctx_.params.laundering;
  if (l.detour_after_days <= 0) return false;
  const std::int32_t due = transfer.paid_day + static_cast<std::int32_t>(l.hops[0].delay_days);
  return day - due >= l.detour_after_days;
}

std::int64_t LaunderingModule::in_transit() const {
  std::int64_t total = 0;
  for (const Transfer& transfer : transfers_) total += transfer.amount_yuan;
  return total;
}

void LaunderingModule::record(std::int32_t day) { ctx_.today(day)[int(Series::in_transit_yuan)] = in_transit(); }

std::string LaunderingModule::check() const {
  std::ostringstream problems;
  const std::int64_t transit = in_transit();
  if (total_losses_ != total_frozen_ + transit + total_commissions_ + total_laundered_)
    problems << "money: losses " << total_losses_ << " != frozen " << total_frozen_ << " + in transit " << transit
             << " + commissions " << total_commissions_ << " + laundered " << total_laundered_ << "\n";
  std::vector<std::int64_t> transit_by_route(route_totals_.size(), 0);
  for (const Transfer& transfer : transfers_) transit_by_route[transfer.route] += transfer.amount_yuan;
  for (std::size_t r = 0; r < route_totals_.size(); ++r) {
    const RouteTotals& m = route_totals_[r];
    if (m.losses_yuan != m.frozen_yuan + transit_by_route[r] + m.commission_yuan + m.laundered_yuan)
      problems << "money by route " << route_names()[r] << ": paid in " << m.losses_yuan << " != frozen " << m.frozen_yuan
               << " + in transit " << transit_by_route[r] << " + commissions " << m.commission_yuan << " + laundered "
               << m.laundered_yuan << "\n";
  }
  return problems.str();
}

}  // namespace fraudsim::model
