#include "model/smuggling.hpp"

#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "model/population.hpp"

namespace fraudsim::model {

// Smugglers are residents: arrested, they go through the justice pipeline
// like anyone else.
void SmugglingModule::recruit_initial() {
  const Parameters& s = ctx_.params;
  const engine::Stream helpers = ctx_.stream("initial_helpers");
  const std::int64_t smugglers = std::llround(s.smuggling.smugglers / static_cast<double>(s.scale));
  for (std::int64_t k = 0; k < smugglers; ++k) {
    auto draws = helpers.draws(static_cast<std::uint64_t>(k), 0);
    smugglers_.push_back(someone_at_home(ctx_.world.residents, ctx_.world.border_residents, draws));
  }
}

// On the groups' stream, with a subject no group has: the replacement is
// part of the groups' phase.
void SmugglingModule::replace(std::int32_t day) {
  const World& w = ctx_.world;
  const double replace_smuggler = -engine::det::expm1(-ctx_.params.smuggling.replacement_per_year / 365.25);
  auto draws = ctx_.stream("groups").draws(UINT64_MAX, day);
  const std::int64_t replaced = draws.binomial(missing_, replace_smuggler);
  const auto replace_from = [&](const auto& pool) {
    for (std::int64_t k = 0; k < replaced && !pool.empty(); ++k) {
      const ResidentId r = pool[draws.below(pool.size())];
      if (!w.residents.at_home(r)) continue;
      smugglers_.push_back(r);
      --missing_;
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
  std::int64_t free_smugglers = 0;
  for (const ResidentId r : smugglers_) free_smugglers += ctx_.world.residents.at_home(r);
  const double capacity = static_cast<double>(free_smugglers) * ctx_.params.smuggling.crossings_per_smuggler_per_day;
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
  if (!justice_.arrest(smuggler, Offence::smuggling, day, draws)) return std::nullopt;
  smugglers_.erase(smugglers_.begin() + static_cast<std::ptrdiff_t>(k));
  ++missing_;
  return smuggler;
}

}  // namespace fraudsim::model
