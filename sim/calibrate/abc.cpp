#include "calibrate/abc.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Dense>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "engine/random.hpp"
#include "model/simulation.hpp"
#include "run/run.hpp"

namespace fraudsim::calibrate {

namespace {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

}  // namespace

double weighted_quantile(std::vector<std::pair<double, double>> value_weight, double q) {
  std::sort(value_weight.begin(), value_weight.end());
  double total = 0;
  for (const auto& [v, w] : value_weight) total += w;
  double below = 0;
  for (const auto& [v, w] : value_weight) {
    below += w;
    if (below >= q * total) return v;
  }
  return value_weight.back().first;
}

namespace {

std::uint64_t replicate_seed(const Calibration& c, std::int64_t r) {
  // splitmix64 of (seed, replicate): the same seeds for every particle.
  std::uint64_t z = static_cast<std::uint64_t>(c.seed) * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(r) + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

double distance(const Calibration& c, const std::vector<double>& statistics, const std::vector<bool>& in_fit) {
  double sum = 0;
  int n = 0;
  for (std::size_t t = 0; t < c.target_list.size(); ++t) {
    if (!in_fit[t]) continue;
    const double error = scaled_error(c.target_list[t], statistics[t]);
    sum += error * error;
    ++n;
  }
  return n ? std::sqrt(sum / n) : 0.0;
}

Evaluation evaluate(const Calibration& c, const std::vector<double>& unit, const std::vector<bool>& in_fit,
                    std::int64_t replicates, model::PopulationCache* populations) {
  if (replicates <= 0) replicates = c.replicates;
  Evaluation e;
  e.unit = unit;
  e.statistics.assign(c.target_list.size(), 0.0);
  const scenario::Scenario scenario = scenario::load_scenario_tree(c.scenario_tree, c.overrides(unit));
  for (std::int64_t r = 0; r < replicates; ++r) {
    const run::FinishedRun finished = run::run_scenario(scenario, {.seed = replicate_seed(c, r), .populations = populations});
    const model::Simulation& simulation = *finished.simulation;
    const std::string first_month = run::month_labels(simulation.calendar()).front();
    for (std::size_t t = 0; t < c.target_list.size(); ++t) {
      const Target& target = c.target_list[t];
      const std::vector<double> part = target.kind == TargetKind::share
                                           ? run::breakdown_values(simulation, target.by, target.series, target.items)
                                           : std::vector<double>{};
      e.statistics[t] += statistic(target, run::monthly_values(simulation, target.series), first_month, part) /
                         static_cast<double>(replicates);
    }
    const auto cases = run::monthly_values(simulation, "registered_cases");
    e.registered_cases.resize(cases.size(), 0.0);
    for (std::size_t m = 0; m < cases.size(); ++m) e.registered_cases[m] += cases[m] / static_cast<double>(replicates);
  }
  e.distance = distance(c, e.statistics, in_fit);
  return e;
}

Fit fit(const Calibration& c, const FitOptions& options) {
  const auto begin = std::chrono::steady_clock::now();
  const std::size_t dims = c.parameters.size();
  const auto n = static_cast<std::size_t>(c.method.particles);
  Fit result;
  {
    const scenario::Scenario first = scenario::load_scenario_tree(c.scenario_tree, c.overrides(std::vector<double>(dims, 0.5)));
    result.months = run::month_labels(engine::Calendar(first.start_date, first.end_date));
  }
  for (const Target& t : c.target_list) result.in_fit.push_back(!options.fit_until || ends_by(t, *options.fit_until));
  const std::unique_ptr<run::Ensemble> own_ensemble = options.ensemble ? nullptr : run::thread_ensemble();
  run::Ensemble& ensemble = options.ensemble ? *options.ensemble : *own_ensemble;
  const std::int64_t optimizer_replicates = c.method.optimizer_replicates > 0 ? c.method.optimizer_replicates : c.replicates;
  model::PopulationCache populations(static_cast<std::size_t>(std::max(c.replicates, optimizer_replicates)));
  // Each evaluation travels as [distance, statistics..., registered cases by month...].
  auto evaluate_all = [&](const std::vector<std::vector<double>>& batch, std::int64_t replicates) {
    std::vector<std::int64_t> jobs(batch.size());
    std::iota(jobs.begin(), jobs.end(), std::int64_t{0});
    const std::vector<run::JobResult> results = ensemble.run(jobs, [&](std::int64_t k) {
      const Evaluation e = evaluate(c, batch[static_cast<std::size_t>(k)], result.in_fit, replicates, &populations);
      run::JobResult packed{e.distance};
      packed.insert(packed.end(), e.statistics.begin(), e.statistics.end());
      packed.insert(packed.end(), e.registered_cases.begin(), e.registered_cases.end());
      return packed;
    });
    const std::size_t statistics = c.target_list.size();
    std::vector<Evaluation> out(batch.size());
    for (std::size_t k = 0; k < batch.size(); ++k) {
      const run::JobResult& packed = results[k];
      out[k].unit = batch[k];
      out[k].distance = packed[0];
      out[k].statistics.assign(packed.begin() + 1, packed.begin() + 1 + static_cast<std::ptrdiff_t>(statistics));
      out[k].registered_cases.assign(packed.begin() + 1 + static_cast<std::ptrdiff_t>(statistics), packed.end());
    }
    return out;
  };
  const engine::Stream proposals(static_cast<std::uint64_t>(c.seed), "abc_proposals");
  // Progress lines carry the simulations so far and their rate.
  auto say = [&](const std::string& line, std::int64_t simulations) {
    if (!options.progress) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    char rate[96];
    std::snprintf(rate, sizeof rate, " [%lld simulations, %.0f s, %.2f/s]", static_cast<long long>(simulations), seconds,
                  static_cast<double>(simulations) / std::max(seconds, 1e-9));
    options.progress(line + rate);
  };

  // Generation 0: the prior.
  std::vector<std::vector<double>> points(n, std::vector<double>(dims));
  for (std::size_t i = 0; i < n; ++i) {
    auto draws = proposals.draws(i, 0);
    for (double& u : points[i]) u = draws.uniform();
  }
  std::vector<Evaluation> particles = evaluate_all(points, c.replicates);
  std::vector<double> weights(n, 1.0 / static_cast<double>(n));
  result.simulations += static_cast<std::int64_t>(n) * c.replicates;
  auto ess = [](const std::vector<double>& w) {
    double s = 0;
    for (const double x : w) s += x * x;
    return 1.0 / s;
  };
  double tolerance = 0;
  for (const auto& p : particles) tolerance = std::max(tolerance, p.distance);
  result.trace.push_back({0, tolerance, ess(weights), 1.0, static_cast<std::int64_t>(n) * c.replicates});
  say("generation 0: prior, " + std::to_string(n) + " particles", result.simulations);

  for (std::int64_t g = 1; g < c.method.generations; ++g) {
    // A generation may have accepted fewer than n within its budget.
    const std::size_t m = particles.size();
    std::vector<std::pair<double, double>> by_distance;
    for (std::size_t i = 0; i < m; ++i) by_distance.emplace_back(particles[i].distance, weights[i]);
    tolerance = weighted_quantile(by_distance, c.method.quantile);

    // Perturbation kernel: a Gaussian with twice the weighted covariance.
    Vector mean = Vector::Zero(static_cast<Eigen::Index>(dims));
    for (std::size_t i = 0; i < m; ++i) mean += weights[i] * Eigen::Map<const Vector>(particles[i].unit.data(), dims);
    Matrix covariance = Matrix::Zero(static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims));
    for (std::size_t i = 0; i < m; ++i) {
      const Vector d = Eigen::Map<const Vector>(particles[i].unit.data(), dims) - mean;
      covariance += weights[i] * d * d.transpose();
    }
    covariance *= 2.0;
    covariance += 1e-10 * Matrix::Identity(static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims));
    const Eigen::LLT<Matrix> cholesky(covariance);
    const Matrix lower = cholesky.matrixL();
    const Matrix precision = cholesky.solve(Matrix::Identity(static_cast<Eigen::Index>(dims), static_cast<Eigen::Index>(dims)));
    std::vector<double> cumulative(m);
    std::partial_sum(weights.begin(), weights.end(), cumulative.begin());

    // Propose in batches until n are accepted; proposals are numbered, and
    // accepted in number order, so the result does not depend on threads.
    std::vector<Evaluation> accepted;
    std::int64_t proposed = 0;
    while (accepted.size() < n && proposed < c.method.max_simulations_per_generation) {
      const std::size_t batch = std::min<std::size_t>(n, static_cast<std::size_t>(c.method.max_simulations_per_generation - proposed));
      std::vector<std::vector<double>> batch_points;
      for (std::size_t k = 0; k < batch; ++k, ++proposed) {
        auto draws = proposals.draws(static_cast<std::uint64_t>(proposed), g);
        std::vector<double> u(dims);
        for (int attempt = 0;; ++attempt) {  // resample until inside the prior's support
          const double pick = draws.uniform() * cumulative.back();
          const std::size_t j = std::min<std::size_t>(
              m - 1, static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin()));
          Vector z(static_cast<Eigen::Index>(dims));
          for (Eigen::Index d = 0; d < z.size(); ++d) z[d] = draws.normal();
          const Vector x = Eigen::Map<const Vector>(particles[j].unit.data(), dims) + lower * z;
          if ((x.array() >= 0.0).all() && (x.array() <= 1.0).all()) {
            for (std::size_t d = 0; d < dims; ++d) u[d] = x[static_cast<Eigen::Index>(d)];
            break;
          }
          if (attempt > 1000) {  // a kernel far wider than the cube: fall back to the particle itself
            u = particles[j].unit;
            break;
          }
        }
        batch_points.push_back(std::move(u));
      }
      for (Evaluation& e : evaluate_all(batch_points, c.replicates))
        if (e.distance <= tolerance && accepted.size() < n) accepted.push_back(std::move(e));
      say("generation " + std::to_string(g) + ": tolerance " + std::to_string(tolerance) + ", accepted " +
          std::to_string(accepted.size()) + "/" + std::to_string(n) + " of " + std::to_string(proposed) + " proposed",
          result.simulations + proposed * c.replicates);
    }
    result.simulations += proposed * c.replicates;
    if (accepted.empty()) {  // nothing within the tolerance: keep the previous generation
      result.trace.push_back({g, tolerance, ess(weights), 0.0, proposed * c.replicates});
      continue;
    }
    // Importance weights for a uniform prior: 1 / sum_j w_j K(theta | theta_j).
    std::vector<double> new_weights(accepted.size());
    for (std::size_t i = 0; i < accepted.size(); ++i) {
      double density = 0;
      const Vector x = Eigen::Map<const Vector>(accepted[i].unit.data(), dims);
      for (std::size_t j = 0; j < m; ++j) {
        const Vector d = x - Eigen::Map<const Vector>(particles[j].unit.data(), dims);
        density += weights[j] * std::exp(-0.5 * d.dot(precision * d));
      }
      new_weights[i] = 1.0 / std::max(density, 1e-300);
    }
    const double total = std::accumulate(new_weights.begin(), new_weights.end(), 0.0);
    for (double& w : new_weights) w /= total;
    const auto count = accepted.size();
    particles = std::move(accepted);
    weights = std::move(new_weights);
    result.trace.push_back({g, tolerance, ess(weights), static_cast<double>(count) / static_cast<double>(proposed),
                            proposed * c.replicates});
  }

  // Nelder-Mead from the closest particle, in the unit cube (points clamped),
  // each point simulated with the optimizer's replicate seeds.
  const auto start = std::min_element(particles.begin(), particles.end(),
                                      [](const Evaluation& a, const Evaluation& b) { return a.distance < b.distance; });
  std::vector<Evaluation> simplex;
  std::vector<std::vector<double>> vertices{start->unit};
  for (std::size_t d = 0; d < dims; ++d) {
    std::vector<double> v = start->unit;
    v[d] = v[d] + (v[d] < 0.5 ? 0.1 : -0.1);
    vertices.push_back(v);
  }
  auto clamp = [](std::vector<double> v) {
    for (double& x : v) x = std::clamp(x, 0.0, 1.0);
    return v;
  };
  std::int64_t budget = c.method.optimizer_evaluations;
  if (budget > static_cast<std::int64_t>(dims)) {
    for (Evaluation& e : evaluate_all(vertices, optimizer_replicates)) simplex.push_back(std::move(e));
    budget -= static_cast<std::int64_t>(dims) + 1;
    auto one = [&](const std::vector<double>& v) {
      --budget;
      return std::move(evaluate_all({clamp(v)}, optimizer_replicates).front());
    };
    auto along = [&](const std::vector<double>& from, const std::vector<double>& to, double t) {
      std::vector<double> v(dims);
      for (std::size_t d = 0; d < dims; ++d) v[d] = from[d] + t * (to[d] - from[d]);
      return v;
    };
    while (budget > 0) {
      std::sort(simplex.begin(), simplex.end(), [](const Evaluation& a, const Evaluation& b) { return a.distance < b.distance; });
      std::vector<double> centroid(dims, 0.0);
      for (std::size_t k = 0; k + 1 < simplex.size(); ++k)
        for (std::size_t d = 0; d < dims; ++d) centroid[d] += simplex[k].unit[d] / static_cast<double>(dims);
      Evaluation& worst = simplex.back();
      Evaluation reflected = one(along(worst.unit, centroid, 2.0));
      if (reflected.distance < simplex.front().distance && budget > 0) {
        Evaluation expanded = one(along(worst.unit, centroid, 3.0));
        worst = expanded.distance < reflected.distance ? std::move(expanded) : std::move(reflected);
      } else if (reflected.distance < simplex[simplex.size() - 2].distance) {
        worst = std::move(reflected);
      } else if (budget > 0) {
        Evaluation contracted = one(along(worst.unit, centroid, 0.5));
        if (contracted.distance < worst.distance) worst = std::move(contracted);
        else break;  // no shrink step: stop at the best point found
      }
    }
  }
  if (simplex.empty()) simplex.push_back(*start);  // no optimizer budget: the closest particle
  result.best = *std::min_element(simplex.begin(), simplex.end(),
                                  [](const Evaluation& a, const Evaluation& b) { return a.distance < b.distance; });
  if (c.method.optimizer_evaluations > static_cast<std::int64_t>(dims))
    result.simulations += (c.method.optimizer_evaluations - std::max<std::int64_t>(budget, 0)) * optimizer_replicates;
  say("optimizer: best distance " + std::to_string(result.best.distance), result.simulations);

  result.particles = std::move(particles);
  result.weights = std::move(weights);
  result.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return result;
}

}  // namespace fraudsim::calibrate
