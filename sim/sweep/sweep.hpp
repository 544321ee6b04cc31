#pragma once
// A parameter sweep, resolved: the base scenario every run starts from, the
// design table (one set of scenario overrides per design point), and how
// runs, replicates and seeds are numbered.
//
// Run `index` is replicate `index % replicates` of design point
// `index / replicates`. Its seed is run_seed(seed, index), or
// run_seed(seed, replicate) with common random numbers: either way a run's
// result depends on its index alone.
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "input/yaml_fields.hpp"

namespace fraudsim::sweep {

// A scenario key path the design varies.
struct Factor {
  std::string path;
  bool numeric = false;  // a real or integer field: its design column holds numbers, otherwise text
};

// Members have default initialisers so that designated initialisers may leave them out.
struct DesignPoint {
  std::vector<input::Override> overrides = {};  // factor designs: one per factor, in factor order
  std::string variant = {};                        // variants design: the variant's name
  std::string saltelli_block = {};                 // saltelli design: A, B or AB
  std::int64_t saltelli_factor = -1;               // AB rows: the factor whose column comes from B
  std::int64_t saltelli_sample = -1;               // saltelli design: the base sample j
  std::int64_t morris_trajectory = -1;             // morris design: the trajectory of the point
  std::int64_t morris_factor = -1;                 // morris design: the factor moved from the previous point
  double morris_step = 0;                          // morris design: that move in the unit cube (+delta or -delta)
};

struct RunPlan {
  std::int64_t index = 0, point = 0, replicate = 0;
  std::uint64_t seed = 0;
};

struct Sweep {
  std::string design;  // grid, latin_hypercube, sobol, saltelli, morris, variants or replicates
  std::uint64_t seed = 0;
  std::int64_t replicates = 1;
  bool common_random_numbers = false;
  std::string base_scenario_file;         // as written in the sweep file (relative to it)
  std::vector<input::Override> fixed;  // the sweep's `set:` overrides, already in base_scenario
  std::vector<Factor> factors;
  std::vector<DesignPoint> points;
  std::string base_scenario;  // the resolved base scenario (YAML), `fixed` applied

  std::int64_t num_runs() const { return static_cast<std::int64_t>(points.size()) * replicates; }
  RunPlan run(std::int64_t index) const;
  // The scenario of run `index`: the base scenario with the point's overrides
  // and the run's seed.
  scenario::Scenario scenario(std::int64_t index) const;
  // The text of OUTDIR/sweep.yaml: everything above, YAML, in a fixed layout.
  std::string resolved_yaml() const;
  // 16 hex digits identifying resolved_yaml(): run files carry it.
  std::string id() const;
};

// Reads SWEEP.yaml, builds the design, and checks every design point against
// the base scenario's schema before anything runs. Throws input::InputError
// naming the sweep file, line, key path, value and what was expected.
Sweep load_sweep(const std::string& path);

// Reads back the text of resolved_yaml() (OUTDIR/sweep.yaml); `label` names it
// in errors. parse_resolved_sweep(s.resolved_yaml(), ...) equals s.
Sweep parse_resolved_sweep(const std::string& text, const std::string& label);

// The id of a resolved sweep's text: 16 hex digits of its FNV-1a hash.
std::string sweep_id(const std::string& resolved_text);

// A factor's value in the design table, from the override text: the number
// of a numeric factor; the text as the scenario reads it otherwise ("" for ~).
double numeric_value(const std::string& override_text);
std::string text_value(const std::string& override_text);

}  // namespace fraudsim::sweep
