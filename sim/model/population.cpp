#include "model/population.hpp"

#include <algorithm>
#include <cmath>

#include "engine/parallel.hpp"

namespace fraudsim::model {

void populate_residents(const Context& ctx) {
  const Parameters& s = ctx.params;
  const std::int64_t n = s.num_residents();
  Residents& res = ctx.world.residents;
  // Left uninitialised here: the parallel loop below writes every element.
  res.resize(n);

  // Regions are contiguous blocks of ids (their order carries no meaning);
  // every other trait is drawn per resident.
  auto& region_end = res.region_end;
  double cumulative = 0;
  for (const Region& region : s.regions) {
    cumulative += region.population_share;
    region_end.push_back(std::min<std::int64_t>(n, std::llround(cumulative * static_cast<double>(n))));
  }
  region_end.back() = n;
  const engine::Stream traits = ctx.stream("resident_traits");
  engine::parallel_for(n, [&](std::int64_t i) {
    std::uint8_t region = 0;
    while (i >= region_end[region]) ++region;
    auto draws = traits.draws(static_cast<std::uint64_t>(i), 0);
    double u = draws.uniform(), below = 0;
    std::uint8_t band = 0;
    for (; band + 1u < s.age_bands.size(); ++band) {
      below += s.age_bands[band].population_share;
      if (u < below) break;
    }
    res.age_band[i] = band;
    const double seeking = s.regions[region].job_seeker_share * s.age_bands[band].job_seeking_factor;
    std::uint8_t state = static_cast<std::uint8_t>(Status::home);
    if (draws.bernoulli(seeking)) state |= Residents::job_seeker_bit;
    res.susceptibility_class[i] = static_cast<std::uint8_t>(draws.below(256));
    if (draws.bernoulli(s.cards.seller_share)) state |= Residents::card_seller_bit;
    res.state[i] = state;
    res.victimisations[i] = 0;
    res.cards_sold[i] = 0;
    res.awareness[i] = 0.0f;
    res.awareness_day[i] = 0;
  });
}

void index_pools(const Context& ctx) {
  const Parameters& s = ctx.params;
  World& world = ctx.world;
  const Residents& res = world.residents;
  const std::int64_t n = res.size();
  world.job_seekers = engine::parallel_select<ResidentId>(n, [&](std::int64_t i) { return res.job_seeker(static_cast<ResidentId>(i)); });
  world.job_seekers_region_start = {0};
  for (const std::int64_t end : res.region_end)
    world.job_seekers_region_start.push_back(static_cast<std::size_t>(
        std::lower_bound(world.job_seekers.begin(), world.job_seekers.end(), end) - world.job_seekers.begin()));
  world.border_residents = engine::parallel_select<ResidentId>(
      n, [&](std::int64_t i) { return s.regions[res.region(static_cast<ResidentId>(i))].border; });
  world.card_sellers = engine::parallel_select<ResidentId>(n, [&](std::int64_t i) { return res.card_seller(static_cast<ResidentId>(i)); });
}

}  // namespace fraudsim::model
