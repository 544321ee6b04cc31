// The laundering chain: each victim payment moves hop by hop, first-level
// mule card, second-level card, payment channel, underground bank, virtual
// currency, to the group. At each hop the money may be frozen (intercepted),
// the transfer may be traced (a lead to the person behind the hop), and the
// hop's operator keeps a commission. Money is conserved: losses = frozen +
// in transit + commissions + laundered, every day.
#include <algorithm>
#include <cmath>

#include "model/simulation.hpp"

namespace fraudsim::model {

std::int64_t Simulation::card_account(CardId card) { return 10'000'000'000LL + card; }

// Accounts of the hops that use no card: a pool of 16 per group and hop; the
// group's own account at the end. Documented in docs/output.md.
std::int64_t Simulation::hop_account(int hop, std::uint16_t group, std::uint32_t payment) {
  if (hop >= num_hops) return 90'000'000'000LL + group;
  return (hop + 1) * 10'000'000'000LL + group * 100LL + payment % 16;
}

void Simulation::launder(std::int32_t day) {
  const Parameters& s = params_;
  World& w = world_;
  DayCounts& t = today(day);
  const Levers& levers = w.levers;
  auto& flows = hop_flows_[static_cast<std::size_t>(calendar_.month_of(day))];
  const engine::Stream stream(seed_, "laundering"), lead_stream(seed_, "laundering_leads"),
      next_card(seed_, "laundering_cards");

  std::size_t kept = 0;
  for (std::size_t k = 0; k < w.transfers.size(); ++k) {
    Transfer transfer = w.transfers[k];
    if (transfer.due_day > day) {
      w.transfers[kept++] = transfer;
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
      auto lead = lead_stream.draws(transfer.payment, hop);
      if (lead.bernoulli(s.laundering.arrest_per_lead)) {
        if (hop_uses_card(hop)) {
          if (arrest(w.cards.seller[transfer.card], Offence::card_selling, day, lead)) ++t[int(Series::card_sellers_arrested)];
          deactivate_card(transfer.card, CardState::frozen);
        } else if (hop != static_cast<int>(Hop::virtual_currency)) {
          auto& launderers = w.groups.launderers[transfer.group];
          const std::size_t which = lead.below(launderers.size());
          if (arrest(launderers[which], Offence::laundering, day, lead)) {
            ++t[int(Series::launderers_arrested)];
            // The group takes on someone new at home in their place.
            ResidentId r;
            do r = static_cast<ResidentId>(lead.below(static_cast<std::uint64_t>(w.residents.size())));
            while (!w.residents.at_home(r));
            launderers[which] = r;
          }
        }
      }
      if (hop == static_cast<int>(Hop::virtual_currency) && w.groups.financiers[transfer.group] > 0 &&
          lead.bernoulli(s.laundering.financier_arrest_per_lead)) {
        --w.groups.financiers[transfer.group];
        ++t[int(Series::financiers_arrested)];
        log_event(day, EventType::financier_arrest, -1, w.groups.home_jurisdiction[transfer.group], transfer.group, 1);
      }
    }
    if (frozen) {
      flows[hop].frozen_yuan += transfer.amount_yuan;
      t[int(Series::payments_stopped_yuan)] += transfer.amount_yuan;
      total_frozen_ += transfer.amount_yuan;
      if (hop_uses_card(hop)) deactivate_card(transfer.card, CardState::frozen);
      if (options_.record_transactions)
        w.transactions.push_back({day, here, -1, transfer.amount_yuan, transfer.payment, static_cast<std::uint8_t>(hop + 1), true, traced});
      continue;
    }

    // Moving on needs somewhere to go: a card for a card hop, a financier to
    // receive it at the end. Without one the money waits a day.
    const int next = hop + 1;
    CardId card = no_card;
    if (next < num_hops && hop_uses_card(next)) {
      auto& cards = w.groups.bank_cards[transfer.group];
      if (cards.empty()) {
        transfer.waiting = true;
        transfer.due_day = day + 1;
        w.transfers[kept++] = transfer;
        continue;
      }
      card = cards[next_card.draws(transfer.payment, next).below(cards.size())];
    } else if (next == num_hops && w.groups.financiers[transfer.group] <= 0) {
      // A dismantled group never receives it: the money is stranded in transit.
      transfer.waiting = true;
      transfer.due_day = day + 1;
      w.transfers[kept++] = transfer;
      continue;
    }
    const auto commission = static_cast<std::int64_t>(std::floor(static_cast<double>(transfer.amount_yuan) * at.commission_share));
    flows[hop].commission_yuan += commission;
    t[int(Series::commissions_yuan)] += commission;
    total_commissions_ += commission;
    transfer.amount_yuan -= commission;
    flows[hop].passed_yuan += transfer.amount_yuan;
    const std::int64_t there = card != no_card ? card_account(card) : hop_account(next, transfer.group, transfer.payment);
    if (options_.record_transactions)
      w.transactions.push_back({day, here, there, transfer.amount_yuan, transfer.payment, static_cast<std::uint8_t>(hop + 1), false, traced});
    if (next == num_hops) {
      t[int(Series::laundered_yuan)] += transfer.amount_yuan;
      total_laundered_ += transfer.amount_yuan;
      continue;
    }
    if (card != no_card && --w.cards.uses_left[card] <= 0) deactivate_card(card, CardState::used_up);
    transfer.hop = static_cast<std::uint8_t>(next);
    transfer.waiting = false;
    transfer.card = card;
    transfer.due_day = day + static_cast<std::int32_t>(s.laundering.hops[static_cast<std::size_t>(next)].delay_days);
    flows[next].entered_yuan += transfer.amount_yuan;
    w.transfers[kept++] = transfer;
  }
  w.transfers.resize(kept);
}

}  // namespace fraudsim::model
