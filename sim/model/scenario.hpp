#pragma once
// A scenario: the whole input of one run.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/calendar.hpp"
#include "interventions/intervention.hpp"
#include "model/parameters.hpp"
#include "scenario/yaml_fields.hpp"

namespace fraudsim::model {

struct Scenario {
  std::string name;
  std::string description;
  engine::Date start_date;
  engine::Date end_date;
  std::int64_t seed = 0;
  double population = 0;   // people in the home country
  std::int64_t scale = 1;  // people per resident agent
  std::vector<Region> regions;
  std::vector<AgeBand> age_bands;
  std::vector<FraudCategory> fraud_categories;
  ChannelMix channels;
  std::vector<Jurisdiction> jurisdictions;
  GroupParameters groups;
  Recruitment recruitment;
  Smuggling smuggling;
  WorkerBehaviour workers;
  CardParameters cards;
  Laundering laundering;
  Adaptation adaptation;
  Victims victims;
  Awareness awareness;
  Police police;
  Justice justice;
  interventions::InterventionList interventions;

  void describe(Fields& f);
  std::int64_t num_residents() const;  // population / scale, rounded
};

// Loads and validates a scenario file with overrides applied. Throws
// scenario::InputError for anything the user can get wrong.
Scenario load_scenario(const std::string& path, const std::vector<scenario::Override>& overrides = {});
// The same from YAML text (`label` names it in messages): for tests and fuzzing.
Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<scenario::Override>& overrides = {});
// The same from a file already parsed: for the many runs of a sweep or a
// calibration, which parse the file once.
Scenario load_scenario_tree(const scenario::YamlNode& root, const std::vector<scenario::Override>& overrides = {});
// The fully resolved scenario as YAML (every field, overrides applied).
std::string resolved_yaml(const Scenario& scenario);

}  // namespace fraudsim::model
