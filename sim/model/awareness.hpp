#pragma once
// Awareness of telecom fraud: the public's, which decays towards a floor and
// which campaigns raise, and each resident's own from experience (stored in
// Residents, decaying between touches). A resident's awareness combines both.
#include <cstdint>
#include <numbers>

#include "engine/det_math.hpp"
#include "model/context.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class AwarenessModule {
 public:
  AwarenessModule(const Context& ctx, const Levers& levers)
      : ctx_(ctx), levers_(levers), public_(ctx.params.awareness.initial_public) {}

  void update_public(std::int32_t day);  // phase "public_awareness"

  double public_level() const { return public_; }
  double personal(ResidentId r, std::int32_t day) const {
    const Residents& res = ctx_.world.residents;
    const double stored = res.awareness[r];
    if (stored == 0.0) return 0.0;
    const double elapsed = day - res.awareness_day[r];
    return stored * engine::det::exp(-std::numbers::ln2 * elapsed / ctx_.params.awareness.personal_half_life_days);
  }
  double of(ResidentId r, std::int32_t day) const { return 1.0 - (1.0 - public_) * (1.0 - personal(r, day)); }
  void raise(ResidentId r, std::int32_t day, double gain);

 private:
  Context ctx_;
  const Levers& levers_;
  double public_;
};

}  // namespace fraudsim::model
