// The registry of intervention types: the one place a new family is listed.
#include <utility>

#include "interventions/families.hpp"

namespace fraudsim::interventions {

namespace {
using Maker = std::unique_ptr<Intervention> (*)();
constexpr std::pair<std::string_view, Maker> registry[] = {
    {"exit_control", make_exit_control},
    {"interception", make_interception},
    {"early_warning", make_early_warning},
    {"awareness_campaign", make_awareness_campaign},
    {"persuade_to_return", make_persuade_to_return},
    {"card_breaking", make_card_breaking},
    {"fund_interception", make_fund_interception},
    {"anti_fraud_law", make_anti_fraud_law},
    {"cross_border_operation", make_cross_border_operation},
    {"recording_practice", make_recording_practice},
    {"police_campaign", make_police_campaign},
    {"enforcement_change", make_enforcement_change},
};
}  // namespace

std::vector<std::string_view> intervention_types() {
  std::vector<std::string_view> out;
  for (const auto& [type, maker] : registry) out.push_back(type);
  return out;
}

std::unique_ptr<Intervention> make_intervention(std::string_view type) {
  for (const auto& [name, maker] : registry)
    if (name == type) return maker();
  return nullptr;
}

}  // namespace fraudsim::interventions
