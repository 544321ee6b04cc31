#include "model/origins.hpp"

#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"

namespace fraudsim::model {

namespace {
double daily_probability(double per_year) { return -engine::det::expm1(-per_year / 365.25); }

// Draws are keyed by compound and origin: a new origin leaves the others' draws alone.
std::uint64_t key(std::int64_t compound, std::size_t origin) {
  return (static_cast<std::uint64_t>(compound) << 8) | static_cast<std::uint64_t>(origin);
}
}  // namespace

bool OriginsModule::in_force(const std::optional<engine::Date>& start, std::int32_t day) const {
  return !start || ctx_.calendar.date(day) >= *start;
}

// Each origin sends recruits in proportion to the places left free (its
// supply past its exit controls); the places are a whole number of agents,
// rounded with the probability of the fraction so that the capacity is
// exact in expectation at any scale, and shared in origin order.
void OriginsModule::recruit(std::int32_t day) {
  const auto& origins = ctx_.params.origins;
  if (origins.empty()) return;
  const Compounds& cps = ctx_.world.compounds;
  DayCounts& t = ctx_.today(day);
  std::vector<double> supply(origins.size());
  for (std::size_t o = 0; o < origins.size(); ++o)
    supply[o] = origins[o].recruits_per_vacancy_per_day *
                (1.0 - (in_force(origins[o].exit_control_start, day) ? origins[o].exit_block_probability : 0.0));
  const engine::Stream stream = ctx_.stream("foreign_recruits");
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    const double vacancies = compounds_.capacity(c, day) - static_cast<double>(cps.all_workers(c));
    if (vacancies <= 0) continue;
    auto draws = stream.draws(static_cast<std::uint64_t>(c), day);
    std::int64_t room = static_cast<std::int64_t>(vacancies) + (draws.bernoulli(vacancies - std::floor(vacancies)) ? 1 : 0);
    for (std::size_t o = 0; o < origins.size() && room > 0; ++o) {
      const std::int64_t arrived = std::min(room, draws.poisson(supply[o] * vacancies));
      const std::int64_t trafficked = draws.binomial(arrived, origins[o].trafficked_share);
      compounds_.add_foreign(o, c, arrived - trafficked, trafficked);
      room -= arrived;
      t[int(Series::foreign_recruits)] += arrived;
    }
  }
}

void OriginsModule::leave(std::int32_t day) {
  const auto& origins = ctx_.params.origins;
  if (origins.empty()) return;
  const Compounds& cps = ctx_.world.compounds;
  DayCounts& t = ctx_.today(day);
  const engine::Stream stream = ctx_.stream("foreign_leaving");
  for (std::size_t o = 0; o < origins.size(); ++o) {
    const Origin& origin = origins[o];
    const double p_trafficked = daily_probability(origin.escape_per_year + origin.release_per_year);
    const double p_voluntary = daily_probability(
        origin.return_per_year + (in_force(origin.repatriation_start, day) ? origin.repatriation_per_year : 0.0));
    for (std::int64_t c = 0; c < cps.size(); ++c) {
      const std::int64_t trafficked = compounds_.foreign_trafficked(o, c);
      const std::int64_t voluntary = compounds_.foreign_workers(o, c) - trafficked;
      if (trafficked + voluntary == 0) continue;
      auto draws = stream.draws(key(c, o), day);
      const std::int64_t trafficked_left = draws.binomial(trafficked, p_trafficked);
      const std::int64_t voluntary_left = draws.binomial(voluntary, p_voluntary);
      compounds_.remove_foreign(o, c, voluntary_left, trafficked_left);
      t[int(Series::foreign_workers_left)] += trafficked_left + voluntary_left;
    }
  }
}

std::int64_t OriginsModule::deport(std::int64_t compound, double capture_share, std::int32_t day) {
  const engine::Stream stream = ctx_.stream("foreign_deportations");
  std::int64_t deported = 0;
  for (std::size_t o = 0; o < ctx_.params.origins.size(); ++o) {
    const std::int64_t trafficked = compounds_.foreign_trafficked(o, compound);
    const std::int64_t voluntary = compounds_.foreign_workers(o, compound) - trafficked;
    if (trafficked + voluntary == 0) continue;
    auto draws = stream.draws(key(compound, o), day);
    const std::int64_t trafficked_taken = draws.binomial(trafficked, capture_share);
    const std::int64_t voluntary_taken = draws.binomial(voluntary, capture_share);
    compounds_.remove_foreign(o, compound, voluntary_taken, trafficked_taken);
    deported += trafficked_taken + voluntary_taken;
  }
  ctx_.today(day)[int(Series::foreign_workers_deported)] += deported;
  return deported;
}

}  // namespace fraudsim::model
