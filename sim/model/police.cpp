// Domestic investigation: registered cases join the open caseload; the
// police solve what their capacity allows, oldest first, and a solved case
// leads to the seller of the mule card its victim paid into.
#include <algorithm>
#include <cmath>

#include "model/simulation.hpp"

namespace fraudsim::model {

void Simulation::investigate(std::int32_t day) {
  const Police& p = params_.police;
  DayCounts& t = today(day);
  auto draws = engine::Stream(seed_, "investigation").draws(0, day);
  // Capacity in agent cases: the whole part, plus one more with the
  // probability of the fraction, so the mean is exact at any scale.
  const double capacity = p.investigation_capacity_cases_per_day / static_cast<double>(params_.scale);
  const std::int64_t capacity_today =
      static_cast<std::int64_t>(capacity) + (draws.bernoulli(capacity - std::floor(capacity)) ? 1 : 0);
  const auto open = static_cast<std::int64_t>(world_.open_cases.size());
  const std::int64_t solved = std::min(draws.binomial(open, p.solve_probability_per_day), capacity_today);
  t[int(Series::cases_solved)] += solved;
  const engine::Stream leads(seed_, "case_leads");
  for (std::int64_t k = 0; k < solved; ++k) {
    const CardId card = world_.open_cases.front();
    world_.open_cases.pop_front();
    auto lead = leads.draws(card, day);
    if (card == no_card || !lead.bernoulli(p.arrest_per_solved_case)) continue;
    deactivate_card(card, CardState::frozen);
    if (arrest(world_.cards.seller[card], Offence::card_selling, day, lead)) ++t[int(Series::card_sellers_arrested)];
  }
}

}  // namespace fraudsim::model
