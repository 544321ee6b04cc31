// early_warning: payment and telecom signals flag a person being defrauded,
// who is then called or texted (the 12381 warning SMS system, China Daily, 5 Jan 2024; push
// notifications and lead collection, MPS, 14 Apr 2022).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class EarlyWarning final : public Family<EarlyWarning> {
 public:
  static constexpr std::string_view type_name = "early_warning";
  double detection_probability = 0;
  double dissuasion_probability = 0;

  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.dissuasion_probability, detection_probability * dissuasion_probability * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("detection_probability", detection_probability,
           input::probability("a person being defrauded is flagged before paying, at full strength"));
    f.real("dissuasion_probability", dissuasion_probability,
           input::probability("a flagged person is talked out of paying"));
  }
};

std::unique_ptr<Intervention> make_early_warning() { return std::make_unique<EarlyWarning>(); }

}  // namespace fraudsim::interventions
