#pragma once
// What a calibration leaves behind (layout: docs/analysis.md, "Calibration
// file"): FIT.h5 with the posterior, the posterior predictive, the targets,
// the trace and the point estimate; FIT.best.yaml, the scenario at the point
// estimate; and the summary printed after a fit.
#include <filesystem>
#include <string>

#include "calibrate/abc.hpp"
#include "calibrate/calibration.hpp"

namespace fraudsim::calibrate {

// The files of a fit whose data file is `data` (FIT.h5): FIT.best.yaml and
// FIT.png beside it.
struct FitFiles {
  std::filesystem::path data, best_scenario, plot;
  explicit FitFiles(const std::filesystem::path& data);
};

// Writes FIT.h5 and FIT.best.yaml, each through output::write_file: both or
// neither (output::OutputError, or engine::Stopped on a stop request).
// `fit_until` is the --fit-until month ("" if none), recorded in /meta.
void write_fit(const Calibration& c, const Fit& fit, const std::string& fit_until, const FitFiles& files);

// The targets against the posterior (reported, median, 5 % and 95 %
// quantiles) and the method by generation, as lines of text.
std::string fit_summary(const Calibration& c, const Fit& fit);

}  // namespace fraudsim::calibrate
