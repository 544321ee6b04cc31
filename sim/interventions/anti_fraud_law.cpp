// anti_fraud_law: the Anti-Telecom and Internet Fraud Law, in force from
// 2022-12-01 (China Daily, 5 Jan 2024): heavier penalties deter card sellers and recruits;
// duties on banks and telecom operators raise detection of mule cards,
// scam calls and messages, and phone cards used for fraud.
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class AntiFraudLaw final : public Family<AntiFraudLaw> {
 public:
  static constexpr std::string_view type_name = "anti_fraud_law";
  double seller_deterrence = 0;
  double recruit_deterrence = 0;
  double card_freeze_probability = 0;
  double telecom_block_probability = 0;
  double sim_cancellation_per_day = 0;

  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.card_sale_deterrence, seller_deterrence * strength);
    model::Levers::tighten(levers.recruit_deterrence, recruit_deterrence * strength);
    for (int h = 0; h < model::num_hops; ++h)
      if (model::hop_uses_card(h)) model::Levers::tighten(levers.freeze_probability[h], card_freeze_probability * strength);
    model::Levers::tighten(levers.block_probability[int(model::Channel::call)], telecom_block_probability * strength);
    model::Levers::tighten(levers.block_probability[int(model::Channel::sms)], telecom_block_probability * strength);
    model::Levers::tighten(levers.sim_cancellation_per_day, sim_cancellation_per_day * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("seller_deterrence", seller_deterrence, input::probability("share of would-be card sellers deterred by the penalties"));
    f.real("recruit_deterrence", recruit_deterrence,
           input::probability("share of would-be recruits deterred by the penalties"));
    f.real("card_freeze_probability", card_freeze_probability,
           input::probability("banks' duty: money on a mule card is frozen, added at each card hop"));
    f.real("telecom_block_probability", telecom_block_probability,
           input::probability("operators' duty: a scam call or message is blocked, added"));
    f.real("sim_cancellation_per_day", sim_cancellation_per_day,
           input::probability("operators' duty: an active phone card used for fraud is cancelled on a given day"));
  }
};

std::unique_ptr<Intervention> make_anti_fraud_law() { return std::make_unique<AntiFraudLaw>(); }

}  // namespace fraudsim::interventions
