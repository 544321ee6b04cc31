// recording_practice: how readily the police record a victim's report as a
// registered case. A campaign for fewer registered cases, or a drive to
// record every report, moves the record without moving victimisation. Its
// effect is an assumption (docs/model.md, 7.11a, Recording).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class RecordingPractice final : public Family<RecordingPractice> {
 public:
  static constexpr std::string_view type_name = "recording_practice";
  double recording_probability_change = 0;

  // Added, not tightened: practice may record fewer reports as well as more.
  void apply(model::Levers& levers, double strength) const override {
    levers.recording_probability_change += recording_probability_change * strength;
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("recording_probability_change", recording_probability_change,
           input::Spec{"change in probability", "added to the probability that the police record a report, at full strength", -1.0, 1.0});
  }
};

std::unique_ptr<Intervention> make_recording_practice() { return std::make_unique<RecordingPractice>(); }

}  // namespace fraudsim::interventions
