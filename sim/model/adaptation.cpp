#include "model/adaptation.hpp"

#include <algorithm>

#include "engine/det_math.hpp"

namespace fraudsim::model {

// Channels in proportion to their base share times (1 - block probability)^e,
// scripts in proportion to theirs times (1 - dissuasion)^e, among the scripts
// already in use.
void AdaptationModule::adapt(std::int32_t day) {
  const Parameters& s = ctx_.params;
  const Levers& levers = levers_;
  auto normalise = [](auto& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    for (double& w : weights) w = total > 0 ? w / total : 0.0;
  };
  for (int c = 0; c < num_channels; ++c)
    channel_effort_[c] = s.channels.effort_share[c] *
        engine::det::exp(s.adaptation.channel_elasticity * engine::det::log1p(-std::min(levers.block_probability[c], 0.999999)));
  normalise(channel_effort_);
  const engine::Date date = ctx_.calendar.date(day);
  for (std::size_t k = 0; k < s.fraud_categories.size(); ++k) {
    const FraudCategory& category = s.fraud_categories[k];
    const bool in_use = !category.introduced || *category.introduced <= date;
    const double dissuasion = std::min(0.999999, levers.dissuasion_probability * category.detectability);
    category_effort_[k] =
        in_use ? category.effort_share * engine::det::exp(s.adaptation.category_elasticity * engine::det::log1p(-dissuasion)) : 0.0;
  }
  normalise(category_effort_);
}

}  // namespace fraudsim::model
