// awareness_campaign: publicity that raises public awareness of fraud
// scripts; the awareness it builds decays once it stops (docs/model.md).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class AwarenessCampaign final : public Family<AwarenessCampaign> {
 public:
  static constexpr std::string_view type_name = "awareness_campaign";
  double reach_per_day = 0;

  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.public_awareness_reach_per_day, reach_per_day * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("reach_per_day", reach_per_day,
           input::probability("share of the still-unaware public made aware per day, at full strength"));
  }
};

std::unique_ptr<Intervention> make_awareness_campaign() { return std::make_unique<AwarenessCampaign>(); }

}  // namespace fraudsim::interventions
