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

// Each origin sends recruits in proportion to the industry's free places
// (its supply past its exit controls). The free places are counted net over
// the open compounds, so that a compound filled past its capacity by a whole
// agent offsets the room left in others: at a coarse scale, where a compound
// holds one or two agents, counting each compound's room alone would bias
// the total. Each recruit goes to a compound drawn in proportion to its own
// free places, which it takes up to one agent of (as home-country recruits
// do, §7.6).
void OriginsModule::recruit(std::int32_t day) {
  const auto& origins = ctx_.params.origins;
  if (origins.empty()) return;
  const Compounds& cps = ctx_.world.compounds;
  DayCounts& t = ctx_.today(day);
  std::vector<double> room(static_cast<std::size_t>(cps.size()), 0.0);
  double net = 0, room_total = 0;
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    const double free_places = compounds_.capacity(c, day) - static_cast<double>(cps.all_workers(c));
    net += free_places;
    room[c] = std::max(0.0, free_places);
    room_total += room[c];
  }
  if (net <= 0) return;
  auto draws = ctx_.stream("foreign_recruits").draws(0, day);
  for (std::size_t o = 0; o < origins.size(); ++o) {
    const double block = in_force(origins[o].exit_control_start, day) ? origins[o].exit_block_probability : 0.0;
    const std::int64_t arriving = draws.poisson(origins[o].recruits_per_vacancy_per_day * (1.0 - block) * net);
    for (std::int64_t k = 0; k < arriving && room_total > 0; ++k) {
      double pick = draws.uniform() * room_total;
      std::int64_t c = 0;
      while (c + 1 < cps.size() && pick >= room[c]) pick -= room[c++];
      const bool trafficked = draws.bernoulli(origins[o].trafficked_share);
      compounds_.add_foreign(o, c, trafficked ? 0 : 1, trafficked ? 1 : 0);
      const double taken = std::min(1.0, room[c]);
      room[c] -= taken;
      room_total -= taken;
      ++t[int(Series::foreign_recruits)];
    }
  }
}

void OriginsModule::leave(std::int32_t day) {
  const auto& origins = ctx_.params.origins;
  if (origins.empty()) return;
  const std::int64_t num_compounds = ctx_.world.compounds.size();
  DayCounts& t = ctx_.today(day);
  const engine::Stream stream = ctx_.stream("foreign_leaving");
  for (std::size_t o = 0; o < origins.size(); ++o) {
    const Origin& origin = origins[o];
    const double p_trafficked = daily_probability(origin.escape_per_year + origin.release_per_year);
    const double p_voluntary = daily_probability(
        origin.return_per_year + (in_force(origin.repatriation_start, day) ? origin.repatriation_per_year : 0.0));
    for (std::int64_t c = 0; c < num_compounds; ++c)
      t[int(Series::foreign_workers_left)] += take(o, c, p_trafficked, p_voluntary, stream, day);
  }
}

std::int64_t OriginsModule::deport(std::int64_t compound, double capture_share, std::int32_t day) {
  const engine::Stream stream = ctx_.stream("foreign_deportations");
  std::int64_t deported = 0;
  for (std::size_t o = 0; o < ctx_.params.origins.size(); ++o)
    deported += take(o, compound, capture_share, capture_share, stream, day);
  ctx_.today(day)[int(Series::foreign_workers_deported)] += deported;
  return deported;
}

// Removes a binomial count of an origin's trafficked and voluntary workers
// from a compound, drawn from `stream` keyed by (compound, origin); returns how many.
std::int64_t OriginsModule::take(std::size_t origin, std::int64_t compound, double p_trafficked, double p_voluntary,
                                 const engine::Stream& stream, std::int32_t day) {
  const std::int64_t trafficked = compounds_.foreign_trafficked(origin, compound);
  const std::int64_t voluntary = compounds_.foreign_workers(origin, compound) - trafficked;
  if (trafficked + voluntary == 0) return 0;
  auto draws = stream.draws(key(compound, origin), day);
  const std::int64_t trafficked_taken = draws.binomial(trafficked, p_trafficked);
  const std::int64_t voluntary_taken = draws.binomial(voluntary, p_voluntary);
  compounds_.remove_foreign(origin, compound, voluntary_taken, trafficked_taken);
  return trafficked_taken + voluntary_taken;
}

}  // namespace fraudsim::model
