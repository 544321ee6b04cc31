#include "model/police.hpp"

#include <algorithm>
#include <cmath>

namespace fraudsim::model {

void PoliceModule::investigate(std::int32_t day) {
  const Police& p = ctx_.params.police;
  DayCounts& t = ctx_.today(day);
  auto draws = ctx_.stream("investigation").draws(0, day);
  // Capacity in agent cases: the whole part, plus one more with the
  // probability of the fraction, so the mean is exact at any scale.
  const double capacity = p.investigation_capacity_cases_per_day / static_cast<double>(ctx_.params.scale);
  const std::int64_t capacity_today =
      static_cast<std::int64_t>(capacity) + (draws.bernoulli(capacity - std::floor(capacity)) ? 1 : 0);
  const auto open = static_cast<std::int64_t>(open_cases_.size());
  const std::int64_t solved = std::min(draws.binomial(open, p.solve_probability_per_day), capacity_today);
  t[int(Series::cases_solved)] += solved;
  const engine::Stream leads = ctx_.stream("case_leads");
  for (std::int64_t k = 0; k < solved; ++k) {
    const CardId card = open_cases_.front();
    open_cases_.pop_front();
    auto lead = leads.draws(card, day);
    if (card == no_card || !lead.bernoulli(p.arrest_per_solved_case)) continue;
    cards_.deactivate(card, CardState::frozen);
    if (justice_.arrest(ctx_.world.cards.seller[card], Offence::card_selling, day, lead)) ++t[int(Series::card_sellers_arrested)];
  }
}

void PoliceModule::record(std::int32_t day) {
  ctx_.today(day)[int(Series::open_cases)] = static_cast<std::int64_t>(open_cases_.size());
}

}  // namespace fraudsim::model
