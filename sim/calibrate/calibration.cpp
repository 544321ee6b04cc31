#include "calibrate/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/calendar.hpp"
#include "input/numbers.hpp"
#include "input/yaml_fields.hpp"

namespace fraudsim::calibrate {

using input::InputError;
using input::parse_number;
using input::shortest;
using input::Spec;

void FixedValue::describe(input::Fields& f) {
  f.text("path", path, Spec{"", "scenario key path"});
  f.text("value", value, Spec{"", "value it is held at during the fit (YAML scalar)"});
}

void FreeParameter::describe(input::Fields& f) {
  f.text("path", path, Spec{"", "scenario key path of the free parameter"});
  f.values("also", also,
           input::optional(Spec{"", "further scenario key paths given the same value (e.g. one start date of "
                                    "measures launched together)"}));
  Spec prior_spec{"", "prior distribution"};
  prior_spec.optional = true;
  prior_spec.choices = {"uniform", "log_uniform"};
  f.text("prior", prior, prior_spec);
  f.text("low", low, Spec{"", "lower bound of the prior (a number, or a date YYYY-MM-DD)"});
  f.text("high", high, Spec{"", "upper bound of the prior"});
  f.flag("round", round, input::optional(Spec{"", "round to whole numbers (an integer field)"}));
}

std::vector<input::Override> FreeParameter::overrides_at(double u) const {
  const std::string value = value_at(u);
  std::vector<input::Override> out{{path, value}};
  for (const std::string& other : also) out.push_back({other, value});
  return out;
}

bool FreeParameter::is_date() const { return engine::Date::parse(low).has_value(); }

std::string FreeParameter::value_at(double u) const {
  if (is_date()) {
    const engine::Date a = *engine::Date::parse(low), b = *engine::Date::parse(high);
    return (a + static_cast<std::int32_t>(std::lround(u * (b - a)))).iso();
  }
  const double a = *parse_number(low), b = *parse_number(high);
  double value = prior == "log_uniform" ? std::exp(std::log(a) + u * (std::log(b) - std::log(a))) : a + u * (b - a);
  if (round) value = std::round(value);
  return shortest(value);
}

void Method::describe(input::Fields& f) {
  f.integer("particles", particles, input::positive_int("particles", "weighted particles in each generation"));
  f.integer("generations", generations, Spec{"generations", "generations of falling tolerance (at least 3)", 3.0, 50.0});
  f.real("quantile", quantile, Spec{"share", "each tolerance is this quantile of the previous distances", 0.05, 0.95});
  f.integer("max_simulations_per_generation", max_simulations_per_generation,
            input::positive_int("proposals", "most proposals simulated in one generation"));
  f.integer("optimizer_evaluations", optimizer_evaluations,
            input::nonnegative("evaluations", "Nelder-Mead evaluations for the point estimate"));
  f.integer("optimizer_replicates", optimizer_replicates,
            input::optional(Spec{"seeds", "replicate seeds per optimizer evaluation (0: as many as `replicates`)", 0.0, 1000.0}));
}

void Calibration::describe(input::Fields& f) {
  f.text("scenario", scenario, Spec{"", "scenario file, relative to this file"});
  f.text("targets", targets, Spec{"", "targets file, relative to this file"});
  f.integer("replicates", replicates, input::positive_int("seeds", "replicate seeds per evaluation (common to every particle)"));
  f.integer("seed", seed, Spec{"", "seed of the method and of the replicates", 0.0, 9007199254740991.0});
  input::NamedVector<FixedValue> fixed_list(fixed);
  f.named_sections("fixed", input::optional(Spec{"", "scenario values held fixed during the fit (e.g. the scale)"}),
                   fixed_list);
  input::NamedVector<FreeParameter> parameter_list(parameters);
  f.named_sections("parameters", Spec{"", "free parameters, at most about a dozen", 1.0, 20.0}, parameter_list);
  f.section("method", Spec{"", "settings of ABC-SMC and the optimizer"}, [&](input::Fields& g) { method.describe(g); });
}

std::vector<input::Override> Calibration::overrides(const std::vector<double>& unit) const {
  std::vector<input::Override> out;
  for (const FixedValue& value : fixed) out.push_back({value.path, value.value});
  for (std::size_t k = 0; k < parameters.size(); ++k)
    for (input::Override& o : parameters[k].overrides_at(unit[k])) out.push_back(std::move(o));
  return out;
}

Calibration load_calibration(const std::string& path) {
  Calibration c;
  const input::YamlNode root = input::parse_yaml_file(path);
  const input::Locations where = input::read_fields(root, {}, [&](input::Fields& f) { c.describe(f); });
  auto at = [&](const std::string& key) {
    const auto found = where.find(key);
    return found == where.end() ? input::Located{{path, 0, 0}, ""} : found->second;
  };
  c.source_path = path;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  c.text = text.str();
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  c.scenario_path = (folder / c.scenario).lexically_normal().string();
  c.targets_path = (folder / c.targets).lexically_normal().string();
  for (const auto& [key, file] : {std::pair{"scenario", c.scenario_path}, std::pair{"targets", c.targets_path}}) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error))
      throw InputError(at(key).origin, key, at(key).text,
                       "no such file: " + file + " (the path is relative to the calibration file)");
  }
  c.scenario_tree = input::parse_yaml_file(c.scenario_path);
  c.target_list = load_targets(c.targets_path);

  for (const FreeParameter& p : c.parameters) {
    const std::string key = "parameters." + p.name;
    const bool date = p.is_date();
    const bool low_ok = date ? engine::Date::parse(p.low).has_value() : parse_number(p.low).has_value();
    const bool high_ok = date ? engine::Date::parse(p.high).has_value() : parse_number(p.high).has_value();
    if (!low_ok) throw InputError(at(key + ".low").origin, key + ".low", p.low, "expected a number or a date YYYY-MM-DD");
    if (!high_ok)
      throw InputError(at(key + ".high").origin, key + ".high", p.high, date ? "expected a date YYYY-MM-DD like low" : "expected a number like low");
    const bool ordered = date ? *engine::Date::parse(p.low) < *engine::Date::parse(p.high) : *parse_number(p.low) < *parse_number(p.high);
    if (!ordered) throw InputError(at(key + ".high").origin, key + ".high", p.high, "expected a bound above low " + p.low);
    if (p.prior == "log_uniform" && (date || *parse_number(p.low) <= 0))
      throw InputError(at(key + ".low").origin, key + ".low", p.low, "a log-uniform prior needs a positive lower bound");
  }
  // Every path and both ends of every prior must make a valid scenario.
  for (const double u : {0.0, 1.0}) {
    const std::vector<double> corner(c.parameters.size(), u);
    try {
      (void)scenario::load_scenario_tree(c.scenario_tree, c.overrides(corner));
    } catch (const InputError& e) {
      // Named at the key of this file that is wrong: the path, or the value
      // (a prior's end) the scenario refuses.
      const std::string unknown = "unknown key path";
      // `key` is the entry's key that holds the path (path, or also for a
      // further path of a parameter).
      const auto refuse = [&](const std::string& entry, const std::string& key, const std::string& field,
                              const std::string& path, const std::string& value) {
        if (e.problem().starts_with(unknown))
          throw InputError(at(entry + "." + key).origin, entry + "." + key, path,
                           "not a key path of the scenario " + c.scenario_path + e.problem().substr(unknown.size()));
        throw InputError(at(entry + "." + field).origin, entry + "." + field, value,
                         "the scenario refuses " + path + " = " + e.value() + ": " + e.problem());
      };
      for (const FreeParameter& p : c.parameters) {
        const std::string end = u == 0.0 ? "low" : "high", value = u == 0.0 ? p.low : p.high;
        if (e.key_path() == p.path) refuse("parameters." + p.name, "path", end, p.path, value);
        for (const std::string& other : p.also)
          if (e.key_path() == other) refuse("parameters." + p.name, "also", end, other, value);
      }
      for (const FixedValue& v : c.fixed)
        if (e.key_path() == v.path) refuse("fixed." + v.name, "path", "value", v.path, v.value);
      throw;
    }
  }
  // Every target's months within the simulated period, before anything runs.
  const scenario::Scenario base = scenario::load_scenario_tree(c.scenario_tree, c.overrides(std::vector<double>(c.parameters.size(), 0.0)));
  const std::vector<double> no_values(
      static_cast<std::size_t>(base.end_date.month_index() - base.start_date.month_index() + 1), 0.0);
  for (const Target& target : c.target_list) (void)statistic(target, no_values, base.start_date.year_month());
  // A share's items are rows of the scenario's breakdown.
  for (const Target& target : c.target_list) {
    std::vector<std::string> names;
    if (target.by == "category")
      for (const auto& category : base.fraud_categories) names.push_back(category.name);
    if (target.by == "age_band")
      for (const auto& band : base.age_bands) names.push_back(band.name);
    for (const std::string& item : target.items)
      if (std::find(names.begin(), names.end(), item) == names.end()) {
        std::string known;
        for (const auto& name : names) known += (known.empty() ? "" : ", ") + name;
        throw input::InputError(target.origin, "targets." + target.id + ".items", item,
                                "expected one of the scenario's " +
                                    std::string(target.by == "category" ? "fraud_categories" : "age_bands") + ": " + known);
      }
  }
  return c;
}

}  // namespace fraudsim::calibrate
