#include "model/awareness.hpp"

namespace fraudsim::model {

void AwarenessModule::update_public(std::int32_t) {
  const Awareness& a = ctx_.params.awareness;
  public_ = a.public_floor + (public_ - a.public_floor) * engine::det::exp(-std::numbers::ln2 / a.public_half_life_days);
  public_ += (1.0 - public_) * levers_.public_awareness_reach_per_day;
}

void AwarenessModule::raise(ResidentId r, std::int32_t day, double gain) {
  const double now = personal(r, day);
  ctx_.world.residents.awareness[r] = static_cast<float>(1.0 - (1.0 - now) * (1.0 - gain));
  ctx_.world.residents.awareness_day[r] = static_cast<std::uint16_t>(day);
}

}  // namespace fraudsim::model
