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
  std::array<double, model::num_hops> entry_freeze{};

  void apply(model::Levers& levers, double strength) const override {
    for (int h = 0; h < model::num_hops; ++h) {
      model::Levers::tighten(levers.freeze_probability[h], freeze[h] * strength);
      model::Levers::tighten(levers.trace_probability[h], trace[h] * strength);
      model::Levers::tighten(levers.entry_freeze_probability[h], entry_freeze[h] * strength);
    }
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    describe_per_hop(f, "freeze_probability", "money at this hop is frozen, at full strength", freeze);
    describe_per_hop(f, "trace_probability", "a transfer through this hop is traced, at full strength", trace);
    // Per route: the hops above act on every route passing them; this acts
    // on the routes entering the chain at a hop (a victim's transfer into a
    // mule card, a platform merchant account, a stablecoin wallet).
    f.section("entry_freeze_probability",
              input::optional(input::Spec{"", "money paid in by a route entering the chain at this hop is frozen at entry, at full strength (default 0)"}),
              [&](input::Fields& hops) {
                for (int h = 0; h < model::num_hops; ++h)
                  if (h != static_cast<int>(model::Hop::second_level_card))
                    hops.real(model::hop_names[h], entry_freeze[h],
                              input::optional(input::probability("money paid in by a route entering here is frozen at entry, at full strength (default 0)")));
              });
  }
};

std::unique_ptr<Intervention> make_fund_interception() { return std::make_unique<FundInterception>(); }

}  // namespace fraudsim::interventions
