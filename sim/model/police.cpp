// Domestic investigation: registered cases join the open caseload; the
// police solve what their capacity allows and arrest domestic accomplices.
#include <algorithm>
#include <cmath>

#include "model/simulation.hpp"

namespace fraudsim::model {

void Simulation::investigate(std::int32_t day) {
  const Police& p = scenario_.police;
  DayCounts& today = daily_[static_cast<std::size_t>(day)];
  auto draws = engine::Stream(seed_, "investigation").draws(0, day);
  // Capacity in agent cases: the whole part, plus one more with the
  // probability of the fraction, so the mean is exact at any scale.
  const double capacity = p.investigation_capacity_cases_per_day / static_cast<double>(scenario_.scale);
  const std::int64_t capacity_today =
      static_cast<std::int64_t>(capacity) + (draws.bernoulli(capacity - std::floor(capacity)) ? 1 : 0);
  const std::int64_t solved = std::min(draws.binomial(world_.open_cases, p.solve_probability_per_day), capacity_today);
  world_.open_cases -= solved;
  today[int(Series::cases_solved)] += solved;
  today[int(Series::suspects_arrested)] += draws.poisson(static_cast<double>(solved) * p.suspects_per_solved_case);
}

}  // namespace fraudsim::model
