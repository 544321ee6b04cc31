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
// paid_in: victims' money entering the chain here (part of entered); a
// route's freezing and commission at entry count at its entry hop.
struct HopFlows {
  std::int64_t entered_yuan = 0, frozen_yuan = 0, passed_yuan = 0, commission_yuan = 0, traced = 0, paid_in_yuan = 0;
};

// Money by route in one month (agents' yuan; payments: agents' payments).
struct RouteFlows {
  std::int64_t payments = 0, paid_in_yuan = 0, frozen_yuan = 0, commission_yuan = 0, laundered_yuan = 0;
};

// Cumulative money of one route, for the conservation check (agents' yuan).
struct RouteTotals {
  std::int64_t losses_yuan = 0, frozen_yuan = 0, commission_yuan = 0, laundered_yuan = 0;
};

// How a payment due is to be made: by `route` (-1: no way, for want of a
// mule card), `rerouted` to a route without a card for want of one, or
// `abandoned` by a victim who could not pay that way and had no card to pay
// into instead.
struct RouteChoice {
  int route = -1;
  bool rerouted = false, abandoned = false;
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
  std::uint8_t route;     // index into laundering.routes (0 without routes: the card chain)
  std::int32_t paid_day;  // the day the victim paid (in the padding: still 32 bytes)
};
static_assert(sizeof(Transfer) == 32, "a transfer in transit stays 32 bytes");

class LaunderingModule {
 public:
  LaunderingModule(const Context& ctx, const Levers& levers, JusticeModule& justice, CardsModule& cards)
      : ctx_(ctx), levers_(levers), justice_(justice), cards_(cards),
        leads_(ctx.stream("laundering_leads")), route_stream_(ctx.stream("laundering_route")),
        entry_stream_(ctx.stream("laundering_route_entry")),
        hop_flows_(static_cast<std::size_t>(ctx.calendar.num_months())),
        route_flows_(static_cast<std::size_t>(ctx.calendar.num_months()), std::vector<RouteFlows>(route_names().size())),
        route_totals_(route_names().size()) {}

  void hire_initial();             // at the start: each group's domestic launderers
  void weigh_routes();  // phase "laundering_routes": each group's shares of payments by route
  void launder(std::int32_t day);  // phase "laundering"
  void record(std::int32_t day);   // today's money in transit

  // The route of a group's payment due (the `number`th of con `con`), given
  // whether the group holds a mule card.
  RouteChoice choose_route(std::uint16_t group, std::uint64_t con, std::uint8_t number, bool has_card) const;
  bool route_needs_card(int route) const {
    return ctx_.params.laundering.routes.empty() || ctx_.params.laundering.routes[static_cast<std::size_t>(route)].needs_card();
  }
  // A victim pays `amount_yuan` by `route`, into a group's mule card if the
  // route needs one: the money enters the chain at the route's entry hop.
  void pay_in(ResidentId victim, std::uint16_t group, std::uint8_t category, CardId card, std::int64_t amount_yuan,
              std::int32_t day, int route);
  // One of the group's launderers, drawn with `draws`, is arrested (if at
  // home) and replaced by someone new.
  void arrest_launderer(std::uint16_t group, std::int32_t day, engine::Draws& draws);
  // Empty if money is conserved; else the totals that differ.
  std::string check() const;
  const std::vector<std::array<HopFlows, num_hops>>& hop_flows_by_month() const { return hop_flows_; }
  const std::vector<std::vector<RouteFlows>>& route_flows_by_month() const { return route_flows_; }
  // The scenario's routes, or the one card chain ("bank_cards") without them.
  std::vector<std::string> route_names() const;

 private:
  void follow_lead(const Transfer& transfer, std::int32_t day);
  void enter_route(Transfer transfer, ResidentId victim, std::int32_t day);
  double entry_freeze(int route) const;
  double retained_share(int route) const;
  void count_frozen(const Transfer& transfer, std::int32_t day);
  void count_commission(const Transfer& transfer, std::int64_t commission, std::int32_t day);
  bool detour_due(const Transfer& transfer, std::int32_t day) const;
  std::int64_t in_transit() const;
  static std::int64_t card_account(CardId card);
  static std::int64_t hop_account(int hop, std::uint16_t group, std::uint32_t payment);

  Context ctx_;
  const Levers& levers_;
  JusticeModule& justice_;
  CardsModule& cards_;
  engine::Stream leads_, route_stream_, entry_stream_;
  std::vector<Transfer> transfers_;  // money in transit
  std::vector<std::array<HopFlows, num_hops>> hop_flows_;  // by month
  std::vector<std::vector<RouteFlows>> route_flows_;       // [month][route]
  std::vector<RouteTotals> route_totals_;
  // Each group's shares of payments by route, [group * routes + route], and
  // the best routes without and with a card (-1: none).
  std::vector<double> route_share_;
  int best_card_free_ = -1, best_card_route_ = -1;
  // Cumulative money, for the conservation check (agents' yuan).
  std::int64_t total_losses_ = 0, total_frozen_ = 0, total_commissions_ = 0, total_laundered_ = 0;
  std::uint32_t payments_made_ = 0;  // victims' payments so far: the next payment's number
};

}  // namespace fraudsim::model
