#include "model/smuggling.hpp"

#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "model/population.hpp"

namespace fraudsim::model {

// Smugglers are residents: arrested, they go through the justice pipeline
// like anyone else. The roster holds floor(smugglers / scale) agents of
// weight 1 and, for the fraction left, one agent of that weight, so the
// capacity is exact in people at any scale: 2,000 smugglers are one agent
// of weight 0.4 at 1:5000, not none (rounding gave none there, and no
// recruit on the illegal route could leave). A whole number of agents has
// no fractional agent and no extra draw.
void SmugglingModule::recruit_initial() {
  const Parameters& s = ctx_.params;
  const engine::Stream helpers = ctx_.stream("initial_helpers");
  const double agents = s.smuggling.smugglers / static_cast<double>(s.scale);
  const auto smugglers = static_cast<std::int64_t>(std::ceil(agents));
  for (std::int64_t k = 0; k < smugglers; ++k) {
    auto draws = helpers.draws(static_cast<std::uint64_t>(k), 0);
    smugglers_.push_back(someone_at_home(ctx_.world.residents, ctx_.world.border_residents, draws));
    weights_.push_back(std::min(1.0, agents - static_cast<double>(k)));
  }
}

// On the groups' stream, with a subject no group has: the replacement is
// part of the groups' phase. A replacement takes the weight of the last
// smuggler missing.
void SmugglingModule::replace(std::int32_t day) {
  const World& w = ctx_.world;
  const double replace_smuggler = -engine::det::expm1(-ctx_.params.smuggling.replacement_per_year / 365.25);
  auto draws = ctx_.stream("groups").draws(UINT64_MAX, day);
  const std::int64_t replaced = draws.binomial(static_cast<std::int64_t>(missing_.size()), replace_smuggler);
  const auto replace_from = [&](const auto& pool) {
    for (std::int64_t k = 0; k < replaced && !pool.empty(); ++k) {
      const ResidentId r = pool[draws.below(pool.size())];
      if (!w.residents.at_home(r)) continue;
      smugglers_.push_back(r);
      weights_.push_back(missing_.back());
      missing_.pop_back();
    }
  };
  if (w.border_residents.empty())
    replace_from(w.job_seekers);
  else
    replace_from(w.border_residents);
}

// Unused crossings carry over up to one agent's worth: a capacity below one
// agent a day (a coarse scale, or few smugglers left) still takes an agent
// across every few days, and a crossing is never lost to rounding, so the
// mean capacity is exact at any scale without a draw. (Rounding each day's
// capacity at random instead would refuse a recruit on half the days at
// 1:2000, where the 2,000 smugglers are one agent taking 0.5 a day, though
// their 1,000 crossings a day far exceed the demand.)
void SmugglingModule::open_crossings(std::int32_t) {
  double free_smugglers = 0;
  for (std::size_t k = 0; k < smugglers_.size(); ++k)
    if (ctx_.world.residents.at_home(smugglers_[k])) free_smugglers += weights_[k];
  const double capacity = free_smugglers * ctx_.params.smuggling.crossings_per_smuggler_per_day;
  crossings_left_ = std::min(crossings_left_ + capacity, capacity + 1.0);
}

bool SmugglingModule::take_crossing() {
  if (smugglers_.empty() || crossings_left_ < 1.0) return false;
  crossings_left_ -= 1.0;
  return true;
}

std::optional<ResidentId> SmugglingModule::arrest_one(std::int32_t day, engine::Draws& draws) {
  const std::size_t k = draws.below(smugglers_.size());
  const ResidentId smuggler = smugglers_[k];
  // The fractional agent (weight w < 1) leaves the roster, its crossings
  // stopped, and is arrested with probability w: arrests and the capacity
  // lost agree in people on average.
  if (weights_[k] < 1.0 && !draws.bernoulli(weights_[k])) {
    take_off_roster(k);
    return std::nullopt;
  }
  if (!justice_.arrest(smuggler, Offence::smuggling, day, draws)) return std::nullopt;
  take_off_roster(k);
  return smuggler;
}

void SmugglingModule::take_off_roster(std::size_t k) {
  missing_.push_back(weights_[k]);
  smugglers_.erase(smugglers_.begin() + static_cast<std::ptrdiff_t>(k));
  weights_.erase(weights_.begin() + static_cast<std::ptrdiff_t>(k));
}

}  // namespace fraudsim::model
