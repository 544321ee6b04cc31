#pragma once
// The laundering chain: each victim payment moves hop by hop, first-level
// mule card, second-level card, payment channel, underground bank, virtual
// currency, to the group. At each hop the money may be frozen (intercepted),
// the transfer may be traced (a lead to the person behind the hop), and the
// hop's operator keeps a commission. Money is conserved: losses = frozen +
// in transit + commissions + laundered, every day.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/cards.hpp"
#include "model/context.hpp"
#include "model/justice.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

// Laundering flows of one hop in one month (agents' yuan; traced: transfers).
struct HopFlows {
  std::int64_t entered_yuan = 0, frozen_yuan = 0, passed_yuan = 0, commission_yuan = 0, traced = 0;
};

// Money on its way from a victim to a group, sitting at one hop.
struct Transfer {
  std::int64_t amount_yuan;
  std::uint32_t payment;  // the victim payment it comes from
  CardId card;            // the card it sits on (card hops), else no_card
  std::uint16_t group;
  std::uint8_t hop;
  bool waiting;           // already met this hop's chances; waits for a card or a financier
  std::int32_t due_day;   // the day it moves on
};

class LaunderingModule {
 public:
  LaunderingModule(const Context& ctx, const Levers& levers, JusticeModule& justice, CardsModule& cards)
      : ctx_(ctx), levers_(levers), justice_(justice), cards_(cards),
        leads_(ctx.stream("laundering_leads")), hop_flows_(static_cast<std::size_t>(ctx.calendar.num_months())) {}

  void hire_initial();             // at the start: each group's domestic launderers
  void launder(std::int32_t day);  // phase "laundering"
  void record(std::int32_t day);   // today's money in transit

  // A victim pays `amount_yuan` into a group's mule card: the money enters
  // the chain at its first hop.
  void pay_in(ResidentId victim, std::uint16_t group, std::uint8_t category, CardId card, std::int64_t amount_yuan,
              std::int32_t day);
  // One of the group's launderers, drawn with `draws`, is arrested (if at
  // home) and replaced by someone new.
  void arrest_launderer(std::uint16_t group, std::int32_t day, engine::Draws& draws);
  // Empty if money is conserved; else the totals that differ.
  std::string check() const;
  const std::vector<std::array<HopFlows, num_hops>>& hop_flows_by_month() const { return hop_flows_; }

 private:
  void follow_lead(const Transfer& transfer, std::int32_t day);
  bool detour_due(const Transfer& transfer, std::int32_t day) const;
  std::int64_t in_transit() const;
  static std::int64_t card_account(CardId card);
  static std::int64_t hop_account(int hop, std::uint16_t group, std::uint32_t payment);

  Context ctx_;
  const Levers& levers_;
  JusticeModule& justice_;
  CardsModule& cards_;
  engine::Stream leads_;
  std::vector<Transfer> transfers_;  // money in transit
  std::vector<std::array<HopFlows, num_hops>> hop_flows_;  // by month
  // Cumulative money, for the conservation check (agents' yuan).
  std::int64_t total_losses_ = 0, total_frozen_ = 0, total_commissions_ = 0, total_laundered_ = 0;
};

}  // namespace fraudsim::model
