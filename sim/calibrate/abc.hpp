#pragma once
// Approximate Bayesian computation by sequential Monte Carlo (population
// Monte Carlo with adaptive tolerance; Beaumont et al. 2009, Biometrika 96),
// then a Nelder-Mead point estimate. Parameters live in the unit cube of
// their priors' quantiles; every particle is simulated with the same
// replicate seeds (common random numbers).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calibrate/calibration.hpp"
#include "model/population.hpp"
#include "run/ensemble.hpp"

namespace fraudsim::calibrate {

struct Evaluation {
  std::vector<double> unit;                // the point, in the unit cube
  std::vector<double> statistics;          // per target, mean over replicates
  std::vector<double> registered_cases;    // monthly, mean over replicates
  double distance = 0;
};

struct GenerationTrace {
  std::int64_t generation;
  double tolerance;
  double ess;              // effective sample size of the weights
  double acceptance_rate;  // accepted over simulated proposals
  std::int64_t simulations;
};

struct FitOptions {
  std::optional<std::string> fit_until;  // YYYY-MM: fit only targets that end by then
  std::function<void(const std::string&)> progress;  // one line per step, for a terminal
  // Where each batch of points is simulated (none: this process's threads).
  // Every evaluation is a pure function of its point, so how a batch is
  // spread changes nothing. A stop request ends the fit with engine::Stopped.
  run::Ensemble* ensemble = nullptr;
};

struct Fit {
  std::vector<Evaluation> particles;  // the last generation
  std::vector<double> weights;        // normalised
  std::vector<GenerationTrace> trace;
  Evaluation best;                    // the optimizer's point estimate
  std::vector<bool> in_fit;           // per target
  std::vector<std::string> months;
  std::int64_t simulations = 0;
  double wall_seconds = 0;
};

// The q quantile of weighted values, given as (value, weight) pairs: the
// smallest value whose cumulative weight reaches q of the total.
double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q);

// Distance of a point: root mean square of (simulated - reported) / tolerance over the targets in the fit.
double distance(const Calibration& c, const std::vector<double>& statistics, const std::vector<bool>& in_fit);

Fit fit(const Calibration& calibration, const FitOptions& options);

// Evaluate one point with the first `replicates` replicate seeds (0: the
// calibration's `replicates`); exposed for tests and benchmarks. The
// points of a calibration share their replicate seeds and (unless a free
// parameter shapes the population) their residents: `populations` keeps
// those set up before, for the next points (none: each set up afresh; the
// same results either way).
Evaluation evaluate(const Calibration& calibration, const std::vector<double>& unit, const std::vector<bool>& in_fit,
                    std::int64_t replicates = 0, model::PopulationCache* populations = nullptr);

}  // namespace fraudsim::calibrate
