#pragma once
// A calibration: which scenario, which free parameters with which priors,
// which targets, and the settings of the method (ABC-SMC, then Nelder-Mead).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/targets.hpp"
#include "scenario/scenario.hpp"
#include "input/fields.hpp"
#include "input/yaml_tree.hpp"

namespace fraudsim::calibrate {

struct FixedValue {
  std::string name;
  std::string path;   // scenario key path
  std::string value;  // YAML scalar
  void describe(input::Fields& f);
};

struct FreeParameter {
  std::string name;
  std::string path;             // scenario key path
  std::vector<std::string> also;  // further key paths given the same value (measures launched together)
  std::string prior = "uniform";  // uniform, log_uniform
  std::string low, high;        // numbers, or dates YYYY-MM-DD
  bool round = false;           // an integer field
  void describe(input::Fields& f);

  // The value at u in [0, 1] of the prior's quantile scale, as YAML text.
  std::string value_at(double u) const;
  // The overrides of its value at u: `path`, then each of `also`.
  std::vector<input::Override> overrides_at(double u) const;
  bool is_date() const;
};

struct Method {
  std::int64_t particles = 100;
  std::int64_t generations = 4;
  double quantile = 0.5;  // each tolerance is this quantile of the previous generation's distances
  std::int64_t max_simulations_per_generation = 2000;  // per replicate set
  std::int64_t optimizer_evaluations = 60;
  // Replicate seeds per optimizer evaluation (0: as many as the particles
  // use). More seeds keep the point estimate from fitting the noise of a few.
  std::int64_t optimizer_replicates = 0;
  void describe(input::Fields& f);
};

struct Calibration {
  std::string scenario;  // path, relative to the calibration file
  std::string targets;   // path, relative to the calibration file
  std::int64_t replicates = 2;
  std::int64_t seed = 1;
  std::vector<FixedValue> fixed;
  std::vector<FreeParameter> parameters;
  Method method;
  void describe(input::Fields& f);

  // Resolved on loading.
  std::string source_path, scenario_path, targets_path, text;
  input::YamlNode scenario_tree;
  std::vector<Target> target_list;

  // The overrides for a point of the unit cube (fixed values first).
  std::vector<input::Override> overrides(const std::vector<double>& unit) const;
};

// Loads, resolves paths, loads the targets, and checks every parameter path
// and the prior's bounds against the scenario. Throws input::InputError.
Calibration load_calibration(const std::string& path);

}  // namespace fraudsim::calibrate
