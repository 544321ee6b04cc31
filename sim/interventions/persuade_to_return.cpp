// persuade_to_return: pressure through families and local authorities on
// people abroad in fraud to come home (seed 004: 210,000 persuaded in 2021).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class PersuadeToReturn final : public Family<PersuadeToReturn> {
 public:
  static constexpr std::string_view type_name = "persuade_to_return";
  double return_per_year = 0;

  void apply(model::Levers& levers, double strength) const override {
    // A yearly hazard h becomes the daily probability 1 - exp(-h / 365.25),
    // scaled by strength like every other lever.
    model::Levers::tighten(levers.return_persuasion_per_day, -engine::det::expm1(-return_per_year / 365.25) * strength);
  }

 protected:
  void describe_parameters(scenario::Fields& f) override {
    f.real("return_per_year", return_per_year,
           scenario::nonnegative("per year", "hazard that a voluntary worker abroad is persuaded home, at full strength"));
  }
};

std::unique_ptr<Intervention> make_persuade_to_return() { return std::make_unique<PersuadeToReturn>(); }

}  // namespace fraudsim::interventions
