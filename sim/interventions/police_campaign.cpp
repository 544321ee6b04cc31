// police_campaign: a campaign that puts more police on fraud investigation
// ("cloud sword", "broken card" from April 2021: Xinhua, 17 Aug 2022), so
// more of the open cases are solved, and more suspects found through them.
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class PoliceCampaign final : public Family<PoliceCampaign> {
 public:
  static constexpr std::string_view type_name = "police_campaign";
  double capacity_increase = 0;

  // Police added by campaigns running at once add up.
  void apply(model::Levers& levers, double strength) const override {
    levers.investigation_capacity_increase += capacity_increase * strength;
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("capacity_increase", capacity_increase,
           input::Spec{"share", "investigation capacity added, as a share of the police's own (1: doubled), at full strength", 0.0, 100.0});
  }
};

std::unique_ptr<Intervention> make_police_campaign() { return std::make_unique<PoliceCampaign>(); }

}  // namespace fraudsim::interventions
