#pragma once
// Shared by the files that each define one family of interventions.
#include <cmath>
#include <memory>

#include "engine/det_math.hpp"
#include "interventions/intervention.hpp"

namespace fraudsim::interventions {

// Gives each family its clone() and type() from its `type_name`.
template <class Derived>
class Family : public Intervention {
 public:
  std::unique_ptr<Intervention> clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
  std::string_view type() const override { return Derived::type_name; }
};

std::unique_ptr<Intervention> make_exit_control();
std::unique_ptr<Intervention> make_interception();
std::unique_ptr<Intervention> make_early_warning();
std::unique_ptr<Intervention> make_awareness_campaign();
std::unique_ptr<Intervention> make_persuade_to_return();
std::unique_ptr<Intervention> make_card_breaking();
std::unique_ptr<Intervention> make_fund_interception();
std::unique_ptr<Intervention> make_anti_fraud_law();
std::unique_ptr<Intervention> make_cross_border_operation();
std::unique_ptr<Intervention> make_recording_practice();
std::unique_ptr<Intervention> make_police_campaign();
std::unique_ptr<Intervention> make_enforcement_change();

}  // namespace fraudsim::interventions
