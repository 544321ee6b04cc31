#include "model/leaving.hpp"

#include <utility>
#include <vector>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"

namespace fraudsim::model {

namespace {
enum class Leaves : std::uint8_t { stays, escaped_or_released, returned_unprompted, persuaded };

double daily_probability(double per_year) { return -engine::det::expm1(-per_year / 365.25); }
}  // namespace

void LeavingModule::leave(std::int32_t day) {
  const WorkerBehaviour& p = ctx_.params.workers;
  const World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  const double p_trafficked_leave = daily_probability(p.escape_per_year + p.release_per_year);
  const double p_unprompted = daily_probability(p.return_per_year);
  const double p_persuaded = levers_.return_persuasion_per_day;

  // Decide in parallel (each worker's own stream), then apply in worker order.
  const std::int64_t n = w.workers.size();
  std::vector<std::uint8_t> outcome(static_cast<std::size_t>(n));
  const engine::Stream stream = ctx_.stream("leaving_compounds");
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
  });

  std::vector<std::uint8_t> leaving(static_cast<std::size_t>(n));
  std::vector<std::pair<ResidentId, Leaves>> returning;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto leaves = static_cast<Leaves>(outcome[i]);
    leaving[i] = leaves != Leaves::stays;
    if (leaving[i]) returning.emplace_back(w.workers.resident[i], leaves);
  }
  compounds_.remove_workers(leaving);

  const engine::Stream arrests = ctx_.stream("return_arrests");
  for (const auto& [r, leaves] : returning) {
    const bool trafficked = leaves == Leaves::escaped_or_released;
    ++t[int(leaves == Leaves::persuaded            ? Series::persuaded_to_return
            : leaves == Leaves::returned_unprompted ? Series::returned_unprompted
                                                    : Series::escaped_or_released)];
    ++t[int(trafficked ? Series::returned_trafficked : Series::returned_voluntary)];
    double arrest_probability = trafficked ? p.trafficked_arrest_on_return_probability : p.arrest_on_return_probability;
    if (leaves == Leaves::persuaded) arrest_probability *= 1.0 - levers_.return_leniency;
    auto draws = arrests.draws(r, day);
    if (draws.bernoulli(arrest_probability))
      justice_.arrest(r, trafficked ? Offence::trafficked_returnee : Offence::fraud_abroad, day, draws);
  }
}

}  // namespace fraudsim::model
