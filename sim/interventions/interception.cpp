// interception: the anti-fraud centre's blocking of scam calls and SMS, and
// its take-down of fraudulent domains and websites (MPS, 14 Apr 2022; China Daily, 5 Jan 2024).
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class Interception final : public Family<Interception> {
 public:
  static constexpr std::string_view type_name = "interception";
  std::array<double, model::num_channels> probability{};

  void apply(model::Levers& levers, double strength) const override {
    for (int c = 0; c < model::num_channels; ++c)
      model::Levers::tighten(levers.block_probability[c], probability[c] * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    using model::Channel;
    f.real("call_block_probability", probability[int(Channel::call)],
           input::probability("a scam call is blocked before it rings, at full strength"));
    f.real("sms_block_probability", probability[int(Channel::sms)],
           input::probability("a scam message is blocked before delivery, at full strength"));
    f.real("domain_takedown_probability_per_day", probability[int(Channel::online)],
           input::probability("a fraudulent domain or app is taken down on a given day, at full strength"));
  }
};

std::unique_ptr<Intervention> make_interception() { return std::make_unique<Interception>(); }

}  // namespace fraudsim::interventions
