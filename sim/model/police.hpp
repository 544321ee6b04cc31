#pragma once
// Domestic investigation: registered cases join the open caseload and the
// police solve them, oldest first, as fast as their capacity allows.
// Capacity grows with campaigns (a lever) and with the backlog. A solved
// case leads to the seller of the mule card its victim paid into, to the
// group's launderers, and to further accomplices at home.
#include <cstdint>
#include <deque>

#include "model/cards.hpp"
#include "model/context.hpp"
#include "model/justice.hpp"
#include "model/laundering.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class PoliceModule {
 public:
  PoliceModule(const Context& ctx, const Levers& levers, JusticeModule& justice, CardsModule& cards,
               LaunderingModule& laundering)
      : ctx_(ctx), levers_(levers), justice_(justice), cards_(cards), laundering_(laundering) {}

  void investigate(std::int32_t day);  // phase "investigation"
  void record(std::int32_t day);       // today's open cases
  // A victim reports: a case whose lead is the first mule card paid into.
  void register_case(CardId first_card) { open_cases_.push_back(first_card); }
  // Cases the police can solve today, in agent cases (a rate, not rounded).
  double capacity_today() const;

 private:
  std::int64_t draw_solved(std::int32_t day) const;
  void follow_leads(CardId card, std::int32_t day);

  Context ctx_;
  const Levers& levers_;
  JusticeModule& justice_;
  CardsModule& cards_;
  LaunderingModule& laundering_;
  std::deque<CardId> open_cases_;  // oldest first
  std::uint64_t cases_solved_ = 0; // so far: the serial number of the next case solved
};

}  // namespace fraudsim::model
