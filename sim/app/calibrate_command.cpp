// fraudsim calibrate CALIBRATION.yaml -o FIT.h5 [--threads N] [--fit-until YYYY-MM]
#include "app/calibrate_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "app/cli_checks.hpp"
#include "engine/stop.hpp"
#include "calibrate/abc.hpp"
#include "engine/calendar.hpp"
#include "engine/parallel.hpp"
#include "fraudsim/version.hpp"
#include "output/hdf5_writer.hpp"
#include "input/input_error.hpp"
#ifdef FRAUDSIM_HAVE_MPI
#include "run/mpi/mpi_ensemble.hpp"
#endif

namespace fraudsim::app {

namespace {

struct Options {
  std::string calibration, output, fit_until;
  int threads = 0;
};

double weighted_quantile(std::vector<std::pair<double, double>> vw, double q) {
  std::sort(vw.begin(), vw.end());
  double total = 0, below = 0;
  for (const auto& p : vw) total += p.second;
  for (const auto& [v, w] : vw)
    if ((below += w) >= q * total) return v;
  return vw.back().first;
}

// A parameter's value as a number for the file: dates as days since 1970-01-01.
double as_number(const calibrate::FreeParameter& p, double u) {
  const std::string text = p.value_at(u);
  if (p.is_date()) return engine::Date::parse(text)->days_since_epoch();
  return std::stod(text);
}

output::RunOutput fit_output(const calibrate::Calibration& c, const calibrate::Fit& fit, const std::string& best_yaml,
                             const Options& options) {
  output::RunOutput out;
  out.meta = {{"version", std::string(build::version)},
              {"git_commit", std::string(build::git_commit)},
              {"build_type", std::string(build::build_type)},
              {"kind", std::string("calibration")},
              {"seed", c.seed},
              {"replicates", c.replicates},
              {"fit_until", options.fit_until},
              {"simulations", fit.simulations},
              {"calibration", c.text},
              {"scenario", best_yaml}};
  out.monthly_months = fit.months;
  out.monthly.push_back({"registered_cases", "cases", "registered cases per month at the point estimate (mean over replicates)",
                         fit.best.registered_cases});

  const std::size_t n = fit.particles.size(), dims = c.parameters.size(), months = fit.months.size();
  std::vector<std::string> names, paths, units;
  for (const auto& p : c.parameters) {
    names.push_back(p.name);
    paths.push_back(p.path);
    units.push_back(p.is_date() ? "days since 1970-01-01" : "");
  }
  std::vector<double> samples, unit_samples, distances;
  std::vector<double> predictive;
  for (const auto& particle : fit.particles) {
    for (std::size_t d = 0; d < dims; ++d) {
      samples.push_back(as_number(c.parameters[d], particle.unit[d]));
      unit_samples.push_back(particle.unit[d]);
    }
    distances.push_back(particle.distance);
    predictive.insert(predictive.end(), particle.registered_cases.begin(), particle.registered_cases.end());
  }
  out.tables.push_back({"posterior", "weighted posterior sample of the last ABC-SMC generation",
                        {{"parameter", "", "name of each free parameter", names},
                         {"path", "", "its scenario key path", paths},
                         {"units", "", "units of its samples (dates as days since 1970-01-01)", units},
                         {"samples", "", "particles, [particle, parameter]", samples, dims},
                         {"unit_samples", "", "the same on the prior's quantile scale [0, 1]", unit_samples, dims},
                         {"weights", "", "normalised importance weights", fit.weights},
                         {"distances", "", "distance of each particle to the targets", distances}},
                        true});
  out.tables.push_back({"predictive", "monthly registered cases of each particle (mean over replicates), [particle, month]",
                        {{"registered_cases", "cases", "registered cases per month", predictive, months}}});

  std::vector<std::string> ids, series, kinds, from, to, sources;
  std::vector<double> reported, tolerance, median, p05, p95, best;
  std::vector<std::int64_t> in_fit;
  for (std::size_t t = 0; t < c.target_list.size(); ++t) {
    const auto& target = c.target_list[t];
    std::vector<std::pair<double, double>> values;
    for (std::size_t i = 0; i < n; ++i) values.emplace_back(fit.particles[i].statistics[t], fit.weights[i]);
    ids.push_back(target.id);
    series.push_back(target.series);
    kinds.push_back(calibrate::kind_name(target.kind));
    from.push_back(target.from);
    to.push_back(target.to);
    sources.push_back(target.source);
    reported.push_back(target.reported);
    tolerance.push_back(target.tolerance);
    median.push_back(weighted_quantile(values, 0.5));
    p05.push_back(weighted_quantile(values, 0.05));
    p95.push_back(weighted_quantile(values, 0.95));
    best.push_back(fit.best.statistics[t]);
    in_fit.push_back(fit.in_fit[t] ? 1 : 0);
  }
  out.tables.push_back({"targets", "each target: reported against the posterior (median, 90 % interval) and the point estimate",
                        {{"id", "", "target", ids},
                         {"series", "", "monthly output series", series},
                         {"kind", "", "level, year_on_year_change or months_below_year_before", kinds},
                         {"period_from", "month", "first month", from},
                         {"period_to", "month", "last month", to},
                         {"reported", "", "reported value", reported},
                         {"tolerance", "", "scale of its error in the distance", tolerance},
                         {"simulated_median", "", "weighted posterior median", median},
                         {"simulated_p05", "", "weighted 5 % quantile", p05},
                         {"simulated_p95", "", "weighted 95 % quantile", p95},
                         {"best", "", "at the point estimate", best},
                         {"in_fit", "", "1 if fitted, 0 if predicted out of sample", in_fit},
                         {"source", "", "where the figure comes from", sources}}});

  std::vector<std::int64_t> generation, simulations;
  std::vector<double> tolerances, ess, acceptance;
  for (const auto& g : fit.trace) {
    generation.push_back(g.generation);
    tolerances.push_back(g.tolerance);
    ess.push_back(g.ess);
    acceptance.push_back(g.acceptance_rate);
    simulations.push_back(g.simulations);
  }
  out.tables.push_back({"trace", "the method by generation",
                        {{"generation", "", "0 is the prior", generation},
                         {"tolerance", "", "distance a proposal had to beat", tolerances},
                         {"ess", "particles", "effective sample size of the weights", ess},
                         {"acceptance_rate", "", "accepted over proposed", acceptance},
                         {"simulations", "runs", "simulations run", simulations}}});
  std::vector<std::string> best_values;
  std::vector<double> best_numbers;
  for (std::size_t d = 0; d < dims; ++d) {
    best_values.push_back(c.parameters[d].value_at(fit.best.unit[d]));
    best_numbers.push_back(as_number(c.parameters[d], fit.best.unit[d]));
  }
  out.tables.push_back({"best", "the point estimate (Nelder-Mead from the closest particle)",
                        {{"parameter", "", "free parameter", names},
                         {"value", "", "its value as written in the best-fit scenario", best_values},
                         {"number", "", "the same as a number (dates as days since 1970-01-01)", best_numbers}}});
  out.perf_seconds = {{"wall", fit.wall_seconds}};
  return out;
}

// How this process takes part: alone (it writes), or as one MPI rank.
struct Role {
  bool writes = true;  // rank 0, or a single process
  run::Ensemble* ensemble = nullptr;  // none: this process's threads
  // Collective under MPI: whether any rank failed its set-up.
  std::function<bool(bool)> any_failed = [](bool failed) { return failed; };
};

int run(const Options& options, const Role& role) {
  // Set-up: load, check, and (the writer) make sure the outputs can be written.
  std::optional<calibrate::Calibration> loaded;
  std::filesystem::path out_path(options.output), best_path;
  std::exception_ptr setup_error;
  try {
    loaded.emplace(calibrate::load_calibration(options.calibration));
    if (!options.fit_until.empty() && !engine::Date::parse(options.fit_until + "-01"))
      throw input::InputError({"command line", 0, 0}, "--fit-until", options.fit_until, "expected a month YYYY-MM");
    best_path = out_path.parent_path() / (out_path.stem().string() + ".best.yaml");
    if (role.writes) {
      output::check_writable(options.output);
      output::check_writable(best_path);
    }
  } catch (...) {
    setup_error = std::current_exception();
  }
  if (role.any_failed(setup_error != nullptr)) {
    if (setup_error && role.writes) std::rethrow_exception(setup_error);
    return setup_error ? 2 : 1;  // the writer reports it
  }
  const calibrate::Calibration& c = *loaded;

  engine::ThreadLimit limit(options.threads);
  calibrate::FitOptions fit_options;
  if (!options.fit_until.empty()) fit_options.fit_until = options.fit_until;
  // One line per batch of particles, on a terminal or in a job's log.
  if (role.writes) fit_options.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  fit_options.ensemble = role.ensemble;
  const calibrate::Fit fit = calibrate::fit(c, fit_options);
  if (!role.writes) return 0;

  // The best-fit scenario: the scenario with the point estimate, fully
  // resolved (no paths in it), without the values held fixed for the fit.
  std::vector<input::Override> best_overrides;
  for (std::size_t d = 0; d < c.parameters.size(); ++d)
    best_overrides.push_back({c.parameters[d].path, c.parameters[d].value_at(fit.best.unit[d])});
  const std::string best_yaml = "# Best fit of " + c.source_path + " (distance " + std::to_string(fit.best.distance) +
                                "), written by fraudsim calibrate " + build::version + "\n" +
                                scenario::resolved_yaml(scenario::load_scenario_tree(c.scenario_tree, best_overrides));
  engine::throw_if_stopped();
  output::write_hdf5(fit_output(c, fit, best_yaml, options), out_path);
  {
    const std::filesystem::path tmp = best_path.string() + ".tmp";
    std::ofstream(tmp) << best_yaml;
    std::filesystem::rename(tmp, best_path);
  }
  if (const int s = engine::stop_signal()) {  // arrived while writing: leave nothing under the names
    std::filesystem::remove(out_path);
    std::filesystem::remove(best_path);
    throw engine::Stopped(s);
  }

  std::printf("%-40s %14s %14s %14s %14s %s\n", "target", "reported", "median", "p05", "p95", "");
  for (std::size_t t = 0; t < c.target_list.size(); ++t) {
    std::vector<std::pair<double, double>> values;
    for (std::size_t i = 0; i < fit.particles.size(); ++i) values.emplace_back(fit.particles[i].statistics[t], fit.weights[i]);
    std::printf("%-40s %14.4g %14.4g %14.4g %14.4g %s\n", c.target_list[t].id.c_str(), c.target_list[t].reported,
                weighted_quantile(values, 0.5), weighted_quantile(values, 0.05), weighted_quantile(values, 0.95),
                fit.in_fit[t] ? "" : "(out of sample)");
  }
  std::printf("\ngeneration  tolerance      ESS  acceptance  simulations\n");
  for (const auto& g : fit.trace)
    std::printf("%10lld %10.4g %8.1f %11.3f %12lld\n", static_cast<long long>(g.generation), g.tolerance, g.ess,
                g.acceptance_rate, static_cast<long long>(g.simulations));
  std::printf("\nwrote %s and %s (%lld simulations, %.1f s, %.2f simulations/s)\n", out_path.string().c_str(),
              best_path.string().c_str(), static_cast<long long>(fit.simulations), fit.wall_seconds,
              static_cast<double>(fit.simulations) / fit.wall_seconds);

  // The plot of the posterior band, by the analysis package, when it is at hand.
  const std::filesystem::path analysis = std::filesystem::path(FRAUDSIM_SOURCE_DIR) / "analysis";
  const std::filesystem::path png = out_path.parent_path() / (out_path.stem().string() + ".png");
  if (std::filesystem::exists(analysis / "fraudsim_analysis")) {
    const std::string command = "PYTHONPATH='" + analysis.string() + "' " + FRAUDSIM_PYTHON +
                                " -m fraudsim_analysis plot-fit '" + out_path.string() + "' -o '" + png.string() + "' > /dev/null";
    if (std::system(command.c_str()) == 0) std::printf("plot: %s\n", png.string().c_str());
    else std::fprintf(stderr, "note: the plot could not be made (%s)\n", command.c_str());
  }
  return 0;
}

int run(const Options& options) {
#ifdef FRAUDSIM_HAVE_MPI
  if (run::mpi::launched_by_mpi()) {
    const run::mpi::Session session;
    const auto ensemble = run::mpi::ensemble(session, "simulation");
    Role role;
    role.writes = session.rank == 0;
    role.ensemble = ensemble.get();
    role.any_failed = [](bool failed) { return run::mpi::largest(failed ? 1 : 0) != 0; };
    Options per_rank = options;
    if (per_rank.threads == 0) per_rank.threads = 1;  // one rank per core unless asked otherwise
    try {
      return run(per_rank, role);
    } catch (const engine::Stopped& e) {
      if (role.writes) throw;  // rank 0 says it
      return 128 + e.signal;
    } catch (const run::FailedElsewhere&) {
      if (role.writes) throw;
      return 1;  // the failing rank said why
    }
  }
#endif
  return run(options, Role{});
}

}  // namespace

void add_calibrate_command(CLI::App& app, std::function<int()>& command) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("calibrate", "fit free parameters to reported figures (ABC-SMC, then Nelder-Mead)");
  sub->add_option("calibration", options->calibration, "calibration file (YAML)")->required();
  sub->add_option("-o,--output", options->output, "output file (HDF5); FIT.best.yaml and FIT.png are written beside it")->required();
  sub->add_option("--threads", options->threads,
                  "worker threads (default: all cores; under MPI: per rank, default 1); results do not depend on it")
      ->check(app::whole_number());
  sub->add_option("--fit-until", options->fit_until,
                  "fit only targets that end by this month (YYYY-MM); predict the later ones (out-of-sample check)");
  sub->callback([&command, sub, options] {
    if (sub->parsed()) command = [options] { return run(*options); };
  });
}

}  // namespace fraudsim::app
