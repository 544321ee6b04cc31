#pragma once
// Domestic investigation: registered cases join the open caseload; the
// police solve what their capacity allows, oldest first, and a solved case
// leads to the seller of the mule card its victim paid into.
#include <cstdint>
#include <deque>

#include "model/cards.hpp"
#include "model/context.hpp"
#include "model/justice.hpp"

namespace fraudsim::model {

class PoliceModule {
 public:
  PoliceModule(const Context& ctx, JusticeModule& justice, CardsModule& cards)
      : ctx_(ctx), justice_(justice), cards_(cards) {}

  void investigate(std::int32_t day);  // phase "investigation"
  void record(std::int32_t day);       // today's open cases
  // A victim reports: a case whose lead is the first mule card paid into.
  void register_case(CardId first_card) { open_cases_.push_back(first_card); }

 private:
  Context ctx_;
  JusticeModule& justice_;
  CardsModule& cards_;
  std::deque<CardId> open_cases_;  // oldest first
};

}  // namespace fraudsim::model
