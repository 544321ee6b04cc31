#pragma once
// Running a scenario and turning the simulation into output: shared by the
// run, sweep and calibrate commands.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "model/population.hpp"
#include "model/simulation.hpp"
#include "output/run_output.hpp"
#include "scenario/scenario.hpp"

namespace fraudsim::run {

struct RunOptions {
  std::uint64_t seed = 0;
  bool record_transactions = false;  // keep every laundering transfer for /transactions
  // Residents set up before, for runs that would set up the same ones (a
  // calibration's or a sweep's replicates); none: the run sets up its own.
  model::PopulationCache* populations = nullptr;
  // Called after every simulated day with (days done, days in all); may
  // throw (engine::Stopped) to abandon the run.
  std::function<void(std::int32_t, std::int32_t)> after_day = {};
};

// A scenario simulated to its last day.
struct FinishedRun {
  std::unique_ptr<model::Simulation> simulation;
  double wall_seconds = 0;   // set-up and every day
  double setup_seconds = 0;  // building the initial world, before the first day
};

// The one way a scenario is run: by `run`, `verify`, a sweep's runs and a
// calibration's simulations. Stops with engine::Stopped as soon as a stop
// is asked for (engine/stop.hpp), at the latest at the end of a day.
FinishedRun run_scenario(const scenario::Scenario& scenario, const RunOptions& options);
// The simulation of `scenario`, set up and not yet run (for tests and
// benchmarks that step it themselves).
inline model::Simulation simulation_of(const scenario::Scenario& scenario, std::uint64_t seed,
                                       model::SimulationOptions options = {}) {
  return model::Simulation(scenario, scenario.lever_setter(), seed, options);
}

struct RunInfo {
  std::uint64_t seed = 0;
  int threads = 0;  // as requested (0: all cores); recorded in /meta
  double wall_seconds = 0;
  double setup_seconds = 0;
};

// Everything that goes into the HDF5 file: provenance, daily and monthly
// series in real units, the interventions table, and the phase timings.
output::RunOutput make_output(const scenario::Scenario& scenario, const model::Simulation& simulation, const RunInfo& info);

// One monthly series in real units, as the output file holds it (for
// calibration targets); throws std::invalid_argument for an unknown name.
std::vector<double> monthly_values(const model::Simulation& simulation, std::string_view series);
// The monthly sum of some rows of a breakdown (/fraud_categories or
// /age_bands) of `series`, in real units: `by` is "category" or "age_band",
// `items` names rows of the scenario. Throws std::invalid_argument naming
// what is unknown.
std::vector<double> breakdown_values(const model::Simulation& simulation, std::string_view by, std::string_view series,
                                     const std::vector<std::string>& items);
// YYYY-MM of each simulated month.
std::vector<std::string> month_labels(const engine::Calendar& calendar);

// Annual totals (flows summed, stocks at year end) of `series`, for the summary table.
struct AnnualRow {
  int year;
  std::vector<double> values;
};
std::vector<AnnualRow> annual_totals(const output::RunOutput& out, const std::vector<std::string>& series);

}  // namespace fraudsim::run
