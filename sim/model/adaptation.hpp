#pragma once
// Gangs put effort where it pays: today's shares of scam attempts by channel
// and by fraud category, set from today's levers.
#include <array>
#include <cstdint>
#include <vector>

#include "model/context.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class AdaptationModule {
 public:
  AdaptationModule(const Context& ctx, const Levers& levers)
      : ctx_(ctx), levers_(levers), category_effort_(ctx.params.fraud_categories.size(), 0.0) {}

  void adapt(std::int32_t day);  // phase "adaptation"
  const std::array<double, num_channels>& channel_effort() const { return channel_effort_; }
  const std::vector<double>& category_effort() const { return category_effort_; }

 private:
  Context ctx_;
  const Levers& levers_;
  std::array<double, num_channels> channel_effort_{};  // today's, after adaptation
  std::vector<double> category_effort_;                // today's, after adaptation
};

}  // namespace fraudsim::model
