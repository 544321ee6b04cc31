// Workers leave the compounds: the trafficked by escape or release, the
// voluntary of their own accord or persuaded home (persuade_to_return).
// Anyone who comes home may be arrested.
#include <cmath>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

namespace {
enum class Leaves : std::uint8_t { stays, escaped_or_released, returned_unprompted, persuaded };

double daily_probability(double per_year) { return -engine::det::expm1(-per_year / 365.25); }
}  // namespace

void Simulation::leave_compounds(std::int32_t day) {
  const WorkerBehaviour& p = scenario_.workers;
  World& w = world_;
  DayCounts& today = daily_[static_cast<std::size_t>(day)];
  const double p_trafficked_leave = daily_probability(p.escape_per_year + p.release_per_year);
  const double p_unprompted = daily_probability(p.return_per_year);
  const double p_persuaded = w.levers.return_persuasion_per_day;

  // Decide in parallel (each worker's own stream), then apply in worker order.
  const std::int64_t n = w.workers.size();
  std::vector<std::uint8_t> outcome(static_cast<std::size_t>(n));
  std::vector<std::uint8_t> arrested(static_cast<std::size_t>(n));
  const engine::Stream stream(seed_, "leaving_compounds");
  engine::parallel_for(n, [&](std::int64_t i) {
    auto draws = stream.draws(w.workers.resident[i], day);
    Leaves leaves = Leaves::stays;
    if (w.workers.trafficked[i]) {
      if (draws.bernoulli(p_trafficked_leave)) leaves = Leaves::escaped_or_released;
    } else if (draws.bernoulli(p_persuaded)) {
      leaves = Leaves::persuaded;
    } else if (draws.bernoulli(p_unprompted)) {
      leaves = Leaves::returned_unprompted;
    }
    outcome[i] = static_cast<std::uint8_t>(leaves);
    const double arrest = w.workers.trafficked[i] ? p.trafficked_arrest_on_return_probability : p.arrest_on_return_probability;
    arrested[i] = leaves != Leaves::stays && draws.bernoulli(arrest);
  });

  std::int64_t kept = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto leaves = static_cast<Leaves>(outcome[i]);
    if (leaves == Leaves::stays) {
      w.workers.resident[kept] = w.workers.resident[i];
      w.workers.compound[kept] = w.workers.compound[i];
      w.workers.trafficked[kept] = w.workers.trafficked[i];
      ++kept;
      continue;
    }
    w.residents.status[w.workers.resident[i]] = static_cast<std::uint8_t>(Status::home);
    --w.compounds.workforce[w.workers.compound[i]];
    today[int(leaves == Leaves::persuaded            ? Series::persuaded_to_return
              : leaves == Leaves::returned_unprompted ? Series::returned_unprompted
                                                      : Series::escaped_or_released)] += 1;
    today[int(Series::suspects_arrested)] += arrested[i];
  }
  w.workers.resident.resize(kept);
  w.workers.compound.resize(kept);
  w.workers.trafficked.resize(kept);
}

}  // namespace fraudsim::model
