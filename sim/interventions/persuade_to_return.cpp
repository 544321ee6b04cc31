// persuade_to_return: pressure through families and local authorities on
// people abroad in fraud to come home (MPS, 14 Apr 2022: 210,000 persuaded in 2021),
// optionally with a deadline notice promising leniency to those who return
// in time (China Daily, 5 Jan 2024: notices in Baoshan, Xinyu, Wuhu and Longyan urging
// people in northern Myanmar to return "within a set time limit").
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class PersuadeToReturn final : public Family<PersuadeToReturn> {
 public:
  static constexpr std::string_view type_name = "persuade_to_return";
  double return_per_year = 0;
  std::optional<engine::Date> deadline;
  double deadline_return_per_year = 0;
  double leniency = 0;

  void apply(model::Levers& levers, double strength) const override {
    // A yearly hazard h becomes the daily probability 1 - exp(-h / 365.25),
    // scaled by strength like every other lever.
    model::Levers::tighten(levers.return_persuasion_per_day, -engine::det::expm1(-return_per_year / 365.25) * strength);
  }
  void apply_on(model::Levers& levers, engine::Date date, double strength) const override {
    apply(levers, strength);
    if (deadline && date <= *deadline) {
      model::Levers::tighten(levers.return_persuasion_per_day,
                             -engine::det::expm1(-deadline_return_per_year / 365.25) * strength);
      model::Levers::tighten(levers.return_leniency, leniency);
    }
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("return_per_year", return_per_year,
           input::nonnegative("per year", "hazard that a voluntary worker abroad is persuaded home, at full strength"));
    f.optional_date("deadline", deadline,
                    input::optional({"date", "last day of a deadline notice to return for leniency (~: no notice)"}));
    f.real("deadline_return_per_year", deadline_return_per_year,
           input::optional(input::nonnegative("per year", "added hazard of returning until the deadline")));
    f.real("leniency", leniency,
           input::optional(input::probability("share of those returning by the deadline who are not arrested")));
  }
};

std::unique_ptr<Intervention> make_persuade_to_return() { return std::make_unique<PersuadeToReturn>(); }

}  // namespace fraudsim::interventions
