#pragma once
// A scenario: the whole input of one run, the model's parameters and the
// dated interventions that set its levers. It sits above both: the model
// knows nothing of interventions, and interventions know the model only
// through its levers.
#include <cstdint>
#include <string>
#include <vector>

#include "input/yaml_fields.hpp"
#include "interventions/intervention.hpp"
#include "model/levers.hpp"
#include "model/parameters.hpp"

namespace fraudsim::scenario {

struct Scenario : model::Parameters {
  interventions::InterventionList interventions;

  void describe(input::Fields& f);
  // What the model calls each day to set that day's levers: every
  // intervention active on the date, in the order of the scenario.
  model::LeverSetter lever_setter() const;
};

// Loads and validates a scenario file with overrides applied. Throws
// input::InputError for anything the user can get wrong.
Scenario load_scenario(const std::string& path, const std::vector<input::Override>& overrides = {});
// The same from YAML text (`label` names it in messages): for tests and fuzzing.
Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<input::Override>& overrides = {});
// The same from a file already parsed: for the many runs of a sweep or a
// calibration, which parse the file once.
Scenario load_scenario_tree(const input::YamlNode& root, const std::vector<input::Override>& overrides = {});
// The fully resolved scenario as YAML (every field, overrides applied).
std::string resolved_yaml(const Scenario& scenario);

}  // namespace fraudsim::scenario
