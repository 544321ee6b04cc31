#pragma once
// Shared by the unit tests: the reference scenario, made small enough to run in a moment.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "run/run.hpp"

namespace fraudsim::testing {

inline std::string source_path(const std::string& relative) { return std::string(FRAUDSIM_SOURCE_DIR) + "/" + relative; }

// Not a scenario key: among the overrides, it asks for the reference
// without its laundering routes, the card chain alone, for tests of card
// mechanisms that routes would soften.
inline const input::Override card_chain_only{"(card chain only)", ""};

inline scenario::Scenario reference_scenario(std::vector<input::Override> overrides = {}) {
  const auto marker = std::find_if(overrides.begin(), overrides.end(),
                                   [](const input::Override& o) { return o.path == card_chain_only.path; });
  const bool chain_only = marker != overrides.end();
  if (chain_only) overrides.erase(marker);
  // 1 agent per 20,000 people: 70,000 residents, a few agents per compound.
  overrides.insert(overrides.begin(), {"scale", "20000"});
  scenario::Scenario scenario = scenario::load_scenario(source_path("scenarios/china_2019_2024.yaml"), overrides);
  if (chain_only) scenario.laundering.routes.clear();
  return scenario;
}

// Sum of one series over days [from, end of run).
inline std::int64_t total(const std::vector<model::DayCounts>& days, model::Series series, std::size_t from = 0) {
  std::int64_t sum = 0;
  for (auto day = days.begin() + static_cast<std::ptrdiff_t>(std::min(from, days.size())); day != days.end(); ++day)
    sum += (*day)[static_cast<std::size_t>(series)];
  return sum;
}

}  // namespace fraudsim::testing
