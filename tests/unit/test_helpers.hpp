#pragma once
// Shared by the unit tests: the reference scenario, made small enough to run in a moment.
#include <map>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "run/run.hpp"

namespace fraudsim::testing {

inline std::string source_path(const std::string& relative) { return std::string(FRAUDSIM_SOURCE_DIR) + "/" + relative; }

inline scenario::Scenario reference_scenario(std::vector<input::Override> overrides = {}) {
  // 1 agent per 20,000 people: 70,000 residents, a few agents per compound.
  overrides.insert(overrides.begin(), {"scale", "20000"});
  return scenario::load_scenario(source_path("scenarios/china_2019_2024.yaml"), overrides);
}

// Sum of one series over days [from, end of run).
inline std::int64_t total(const std::vector<model::DayCounts>& days, model::Series series, std::size_t from = 0) {
  std::int64_t sum = 0;
  for (auto day = days.begin() + static_cast<std::ptrdiff_t>(std::min(from, days.size())); day != days.end(); ++day)
    sum += (*day)[static_cast<std::size_t>(series)];
  return sum;
}

}  // namespace fraudsim::testing
