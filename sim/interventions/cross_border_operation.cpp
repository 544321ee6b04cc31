// cross_border_operation: joint operations with a host country: raids on the
// compounds of one jurisdiction, the capture and handover of the workers
// found there, and arrests of group leaders and financiers (Global Times, 15 Jan 2024: 41,000
// suspects from northern Myanmar in 2023; China Daily, 5 Jan 2024: the August 2023 joint
// operation and the November 2023 arrests of the Ming family's leaders).
// Only this intervention hands suspects over; how many follows from the
// workers actually present in the raided compounds.
#include <algorithm>

#include "interventions/families.hpp"

namespace fraudsim::interventions {

class CrossBorderOperation final : public Family<CrossBorderOperation> {
 public:
  static constexpr std::string_view type_name = "cross_border_operation";
  std::string jurisdiction;
  double raid_probability_per_day = 0;
  double capture_share = 0;
  double leader_arrest_probability = 0;
  double financier_arrest_probability = 0;

  std::optional<BindError> bind(const std::vector<std::string>& jurisdictions) override {
    return bind_jurisdiction(jurisdictions, jurisdiction, index_);
  }

  void apply(model::Levers& levers, double strength) const override {
    model::RaidLever& raid = levers.raids.at(index_);
    model::Levers::tighten(raid.raid_probability_per_day, raid_probability_per_day * strength);
    raid.capture_share = std::max(raid.capture_share, capture_share);
    raid.leader_arrest_probability = std::max(raid.leader_arrest_probability, leader_arrest_probability);
    raid.financier_arrest_probability = std::max(raid.financier_arrest_probability, financier_arrest_probability);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.text("jurisdiction", jurisdiction, input::Spec{"", "the jurisdiction whose compounds are raided (a name under jurisdictions)"});
    f.real("raid_probability_per_day", raid_probability_per_day,
           input::probability("each compound there is raided on a given day, at full strength"));
    f.real("capture_share", capture_share,
           input::share("intensity: share of a raided compound's workforce captured and handed over (before protection)"));
    f.real("leader_arrest_probability", leader_arrest_probability,
           input::probability("each leader of the raided compound's group is arrested"));
    f.real("financier_arrest_probability", financier_arrest_probability,
           input::probability("each financier of the raided compound's group is arrested"));
  }

 private:
  std::size_t index_ = 0;
};

std::unique_ptr<Intervention> make_cross_border_operation() { return std::make_unique<CrossBorderOperation>(); }

}  // namespace fraudsim::interventions
