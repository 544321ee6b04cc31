// early_warning: payment and telecom signals flag a person about to pay a
// con, who is then called or texted, and leads warn people scam contacts reach (the 12381 warning SMS system, China Daily, 5 Jan 2024; push
// notifications and lead collection, MPS, 14 Apr 2022).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class EarlyWarning final : public Family<EarlyWarning> {
 public:
  static constexpr std::string_view type_name = "early_warning";
  double detection_probability = 0;
  double dissuasion_probability = 0;
  double lead_warning_share = 0;

  // Detection and persuasion act at each payment of a con; leads (numbers
  // called, accounts flagged) warn people reached by scam contacts, whether
  // or not they were deceived.
  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.warning_detection_probability, detection_probability * strength);
    model::Levers::tighten(levers.dissuasion_probability, detection_probability * dissuasion_probability * strength);
    model::Levers::tighten(levers.lead_warning_share, lead_warning_share * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("detection_probability", detection_probability,
           input::probability("a person about to pay a con is flagged, at each payment, at full strength"));
    f.real("dissuasion_probability", dissuasion_probability,
           input::probability("a flagged person is talked out of paying (the con stops)"));
    f.real("lead_warning_share", lead_warning_share,
           input::optional(input::probability(
               "share of delivered scam contacts whose recipient is identified from leads and warned, at full strength (default 0)")));
  }
};

std::unique_ptr<Intervention> make_early_warning() { return std::make_unique<EarlyWarning>(); }

}  // namespace fraudsim::interventions
