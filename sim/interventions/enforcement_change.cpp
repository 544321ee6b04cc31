// enforcement_change: a host state changes its enforcement against compounds
// on a dated event (a ban on online gambling, a ban on offshore gaming
// operators, a crackdown). It acts on where groups open and move compounds
// (model::GroupsModule weighs enforcement); raids are cross_border_operation.
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class EnforcementChange final : public Family<EnforcementChange> {
 public:
  static constexpr std::string_view type_name = "enforcement_change";
  std::string jurisdiction;
  double enforcement = 0;

  std::optional<BindError> bind(const std::vector<std::string>& jurisdictions) override {
    return bind_jurisdiction(jurisdictions, jurisdiction, index_);
  }

  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.enforcement.at(index_), enforcement * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.text("jurisdiction", jurisdiction, input::Spec{"", "the jurisdiction whose enforcement changes (a name under jurisdictions)"});
    f.real("enforcement", enforcement,
           input::share("enforcement added at full strength, combined with the jurisdiction's own as independent measures"));
  }

 private:
  std::size_t index_ = 0;
};

std::unique_ptr<Intervention> make_enforcement_change() { return std::make_unique<EnforcementChange>(); }

}  // namespace fraudsim::interventions
