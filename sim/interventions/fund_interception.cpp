// fund_interception ("broken streams"): freezing money at each hop of the
// laundering chain and tracing hops to the people behind them (MPS, 14 Apr 2022:
// 329.1 billion yuan stopped in 2021; China Daily, 5 Jan 2024: 328.8 billion intercepted).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class FundInterception final : public Family<FundInterception> {
 public:
  static constexpr std::string_view type_name = "fund_interception";
  std::array<double, model::num_hops> freeze{};
  std::array<double, model::num_hops> trace{};

  void apply(model::Levers& levers, double strength) const override {
    for (int h = 0; h < model::num_hops; ++h) {
      model::Levers::tighten(levers.freeze_probability[h], freeze[h] * strength);
      model::Levers::tighten(levers.trace_probability[h], trace[h] * strength);
    }
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    describe_per_hop(f, "freeze_probability", "money at this hop is frozen, at full strength", freeze);
    describe_per_hop(f, "trace_probability", "a transfer through this hop is traced, at full strength", trace);
  }
};

std::unique_ptr<Intervention> make_fund_interception() { return std::make_unique<FundInterception>(); }

}  // namespace fraudsim::interventions
