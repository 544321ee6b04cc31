// exit_control: border checks and curbs on smuggling that stop recruits from
// leaving the country to join fraud groups abroad (MPS, 14 Apr 2022: "strict exit
// control measures ... effectively shutting down border smuggling").
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class ExitControl final : public Family<ExitControl> {
 public:
  static constexpr std::string_view type_name = "exit_control";
  double block_probability = 0;
  double smuggling_block_probability = 0;
  double smuggler_arrest_probability = 0;

  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.exit_block_probability, block_probability * strength);
    model::Levers::tighten(levers.smuggling_block_probability, smuggling_block_probability * strength);
    model::Levers::tighten(levers.smuggler_arrest_probability, smuggler_arrest_probability * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("block_probability", block_probability,
           input::probability("a recruit leaving by a regular border post is stopped, at full strength"));
    f.real("smuggling_block_probability", smuggling_block_probability,
           input::probability("an illegal border crossing is stopped, at full strength"));
    f.real("smuggler_arrest_probability", smuggler_arrest_probability,
           input::probability("a stopped illegal crossing leads to the arrest of its organiser, at full strength"));
  }
};

std::unique_ptr<Intervention> make_exit_control() { return std::make_unique<ExitControl>(); }

}  // namespace fraudsim::interventions
