#pragma once
// Running a scenario and turning the simulation into output: shared by the
// run, sweep and calibrate commands.
#include <cstdint>
#include <functional>
#include <string>

#include "model/scenario.hpp"
#include "model/simulation.hpp"
#include "output/run_output.hpp"

namespace fraudsim::run {

struct RunInfo {
  std::uint64_t seed = 0;
  int threads = 0;  // as requested (0: all cores); recorded in /meta
  double wall_seconds = 0;
};

// Everything that goes into the HDF5 file: provenance, daily and monthly
// series in real units, the interventions table, and the phase timings.
output::RunOutput make_output(const model::Simulation& simulation, const RunInfo& info);

// One monthly series in real units, as the output file holds it (for
// calibration targets); throws std::invalid_argument for an unknown name.
std::vector<double> monthly_values(const model::Simulation& simulation, std::string_view series);
// YYYY-MM of each simulated month.
std::vector<std::string> month_labels(const engine::Calendar& calendar);

// Annual totals (flows summed, stocks at year end) of `series`, for the summary table.
struct AnnualRow {
  int year;
  std::vector<double> values;
};
std::vector<AnnualRow> annual_totals(const output::RunOutput& out, const std::vector<std::string>& series);

}  // namespace fraudsim::run
