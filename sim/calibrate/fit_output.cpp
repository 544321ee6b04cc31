#include "calibrate/fit_output.hpp"

#include <algorithm>
#include <cstdio>
#include <system_error>

#include "engine/calendar.hpp"
#include "fraudsim/version.hpp"
#include "model/series.hpp"
#include "input/numbers.hpp"
#include "output/hdf5_writer.hpp"
#include "output/provenance.hpp"
#include "output/safe_write.hpp"

namespace fraudsim::calibrate {

namespace fs = std::filesystem;

namespace {

// A parameter's value as a number for the file: dates as days since 1970-01-01.
double as_number(const FreeParameter& p, double u) {
  const std::string text = p.value_at(u);
  if (p.is_date()) return engine::Date::parse(text)->days_since_epoch();
  return *input::parse_number(text);  // the text value_at() wrote, read back by the one number parser
}

// The particles' statistic for target t, weighted, at quantile q.
double target_quantile(const Fit& fit, std::size_t t, double q) {
  std::vector<std::pair<double, double>> values;
  for (std::size_t i = 0; i < fit.particles.size(); ++i) values.emplace_back(fit.particles[i].statistics[t], fit.weights[i]);
  return weighted_quantile(std::move(values), q);
}

// The best-fit scenario: the scenario with the point estimate, fully
// resolved (no paths in it), without the values held fixed for the fit.
std::string best_scenario(const Calibration& c, const Fit& fit) {
  std::vector<input::Override> best_overrides;
  for (std::size_t d = 0; d < c.parameters.size(); ++d)
    for (input::Override& o : c.parameters[d].overrides_at(fit.best.unit[d])) best_overrides.push_back(std::move(o));
  return "# Best fit of " + c.source_path + " (distance " + std::to_string(fit.best.distance) +
         "), written by fraudsim calibrate " + build::version + "\n" +
         scenario::resolved_yaml(scenario::load_scenario_tree(c.scenario_tree, best_overrides));
}

output::Series registered_cases(const Fit& fit) {
  const auto& info = *std::find_if(model::series_info.begin(), model::series_info.end(),
                                   [](const auto& i) { return i.id == model::Series::registered_cases; });
  return {std::string(info.name), std::string(info.units),
          "registered cases per month at the point estimate (mean over replicates)", fit.best.registered_cases,
          info.aggregation == model::Aggregation::flow ? output::Kind::flow : output::Kind::stock, info.scaled};
}

output::RunOutput fit_output(const Calibration& c, const Fit& fit, const std::string& best_yaml,
                             const std::string& fit_until) {
  output::RunOutput out;
  out.meta = {{"version", std::string(build::version)},
              {"git_commit", std::string(build::git_commit)},
              {"build_type", std::string(build::build_type)},
              {"kind", std::string("calibration")},
              {"seed", c.seed},
              {"replicates", c.replicates},
              {"fit_until", fit_until},
              {"simulations", fit.simulations},
              {"calibration", c.text},
              {"scenario", best_yaml}};
  for (auto& entry : output::provenance_meta()) out.meta.push_back(std::move(entry));
  out.monthly_months = fit.months;
  out.monthly.push_back(registered_cases(fit));

  const std::size_t dims = c.parameters.size(), months = fit.months.size();
  std::vector<std::string> names, paths, also, units;
  for (const auto& p : c.parameters) {
    names.push_back(p.name);
    paths.push_back(p.path);
    std::string joined;
    for (const std::string& other : p.also) joined += (joined.empty() ? "" : ",") + other;
    also.push_back(joined);
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
                         {"also", "", "further key paths given the same value, comma-separated (or empty)", also},
                         {"units", "", "units of its samples (dates as days since 1970-01-01)", units},
                         {"samples", "", "particles, [particle, parameter]", samples, dims},
                         {"unit_samples", "", "the same on the prior's quantile scale [0, 1]", unit_samples, dims},
                         {"weights", "", "normalised importance weights", fit.weights},
                         {"distances", "", "distance of each particle to the targets", distances}},
                        true});
  out.tables.push_back({"predictive", "monthly registered cases of each particle (mean over replicates), [particle, month]",
                        {{"registered_cases", "cases", "registered cases per month", predictive, months}}});

  std::vector<std::string> ids, series, kinds, bounds, from, to, sources;
  std::vector<double> reported, tolerance, median, p05, p95, best;
  std::vector<std::int64_t> in_fit;
  for (std::size_t t = 0; t < c.target_list.size(); ++t) {
    const auto& target = c.target_list[t];
    ids.push_back(target.id);
    series.push_back(target.series);
    kinds.push_back(kind_name(target.kind));
    bounds.push_back(target.bound == Bound::lower ? "lower" : target.bound == Bound::upper ? "upper" : "");
    from.push_back(target.from);
    to.push_back(target.to);
    sources.push_back(target.source);
    reported.push_back(target.reported);
    tolerance.push_back(target.tolerance);
    median.push_back(target_quantile(fit, t, 0.5));
    p05.push_back(target_quantile(fit, t, 0.05));
    p95.push_back(target_quantile(fit, t, 0.95));
    best.push_back(fit.best.statistics[t]);
    in_fit.push_back(fit.in_fit[t] ? 1 : 0);
  }
  out.tables.push_back({"targets", "each target: reported against the posterior (median, 90 % interval) and the point estimate",
                        {{"id", "", "target", ids},
                         {"series", "", "monthly output series", series},
                         {"kind", "", "level, year_on_year_change, months_below_year_before or run_below_year_before", kinds},
                         {"bound", "", "lower or upper if the reported value is a bound, else empty", bounds},
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

}  // namespace

FitFiles::FitFiles(const fs::path& data)
    : data(data),
      best_scenario(data.parent_path() / (data.stem().string() + ".best.yaml")),
      plot(data.parent_path() / (data.stem().string() + ".png")) {}

void write_fit(const Calibration& c, const Fit& fit, const std::string& fit_until, const FitFiles& files) {
  const std::string best_yaml = best_scenario(c, fit);
  output::write_hdf5(fit_output(c, fit, best_yaml, fit_until), files.data);
  try {
    output::write_file(files.best_scenario, best_yaml);
  } catch (...) {  // the data file without its scenario would be a fit half written
    std::error_code ignored;
    fs::remove(files.data, ignored);
    throw;
  }
}

std::string fit_summary(const Calibration& c, const Fit& fit) {
  std::string out;
  const auto add = [&out](const char* format, auto... values) {
    const int length = std::snprintf(nullptr, 0, format, values...);
    std::string line(static_cast<std::size_t>(std::max(length, 0)) + 1, '\0');
    std::snprintf(line.data(), line.size(), format, values...);
    line.pop_back();
    out += line;
  };
  add("%-40s %14s %14s %14s %14s %s\n", "target", "reported", "median", "p05", "p95", "");
  for (std::size_t t = 0; t < c.target_list.size(); ++t)
    add("%-40s %14.4g %14.4g %14.4g %14.4g %s\n", c.target_list[t].id.c_str(), c.target_list[t].reported,
        target_quantile(fit, t, 0.5), target_quantile(fit, t, 0.05), target_quantile(fit, t, 0.95),
        fit.in_fit[t] ? "" : "(out of sample)");
  out += "\ngeneration  tolerance      ESS  acceptance  simulations\n";
  for (const auto& g : fit.trace)
    add("%10lld %10.4g %8.1f %11.3f %12lld\n", static_cast<long long>(g.generation), g.tolerance, g.ess,
        g.acceptance_rate, static_cast<long long>(g.simulations));
  return out;
}

}  // namespace fraudsim::calibrate
