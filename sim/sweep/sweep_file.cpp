// Reading SWEEP.yaml: the schema of the sweep file, the design built from it,
// and the check of every design point against the base scenario's schema.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>

#include "engine/parallel.hpp"
#include "input/numbers.hpp"
#include "sweep/design.hpp"
#include "sweep/sobol.hpp"
#include "sweep/sweep.hpp"

namespace fraudsim::sweep {
namespace {

namespace fs = std::filesystem;
using input::FieldKind;
using input::Fields;
using input::InputError;
using input::Origin;
using input::Override;
using input::Spec;
using input::YamlNode;

// Far beyond any allocation; catches a grid with a zero too many before
// every worker builds its design table in memory.
constexpr std::int64_t max_runs = 10'000'000;
constexpr double max_seed = 9007199254740991.0;  // 2^53 - 1, as for a scenario's seed

Spec optional_spec(std::string_view unit, std::string_view description, double min = -INFINITY) {
  Spec spec{unit, description, min};
  spec.optional = true;
  return spec;
}

// `PATH: {values: [...]}` in a grid, `PATH: {range: [low, high]}` in the
// other factor designs; which one the design takes is checked once the type
// is known (read_factor), so that the message can say so.
struct FactorEntry {
  std::string name;  // the scenario key path
  std::vector<std::string> values, range;

  void describe(Fields& f) {
    f.values("values", values,
             Spec{.description = "grid design: the factor's values", .min = 1, .optional = true, .form = "[a, b, ...]"});
    f.values("range", range,
             Spec{.description = "latin_hypercube, sobol, saltelli and morris designs: "
                                 "the factor's range (numbers or dates)",
                  .min = 2,
                  .max = 2,
                  .optional = true,
                  .form = "[low, high]"});
  }
};

struct Variant {
  std::string name;
  std::vector<Override> overrides;

  void describe(Fields& f) { f.key_paths(overrides, Spec{.description = "a scenario key path and its value"}); }
};

struct SweepFile {
  std::string base_scenario;
  std::int64_t seed = 0;
  std::int64_t replicates = 1;
  bool common_random_numbers = false;
  std::vector<Override> fixed;
  std::string type = "replicates";  // no design: the base scenario alone, replicated
  std::int64_t points = 0, samples = 0, trajectories = 0, levels = 4;
  std::vector<FactorEntry> factors;
  std::vector<Variant> variants;
  bool switch_off_each_intervention = false;

  void describe(Fields& f) {
    f.text("base_scenario", base_scenario, Spec{"", "the scenario the sweep varies (path relative to the sweep file)"});
    f.integer("seed", seed, Spec{"", "base seed: each run's seed derives from it and the run's index", 0.0, max_seed});
    f.integer("replicates", replicates,
              input::positive_int("runs", "runs of each design point, each with its own seed"));
    f.flag(
        "common_random_numbers", common_random_numbers,
        optional_spec("", "replicate r of every design point gets the same seed (default false: every run its own)"));
    f.section("set", optional_spec("", "scenario key paths fixed for every run (like --set)"),
              [&](Fields& g) { g.key_paths(fixed, Spec{.description = "a scenario key path and its value"}); });
    f.section("design", optional_spec("", "how the design points are chosen (none: the base scenario alone, replicated)"),
              [&](Fields& g) {
      Spec type_spec{"", "kind of design"};
      type_spec.choices = {"grid", "latin_hypercube", "sobol", "saltelli", "morris", "variants", "replicates"};
      g.text("type", type, type_spec);
      g.integer("points", points, optional_spec("points", "design points of a latin_hypercube or sobol design", 1));
      g.integer("samples", samples,
                optional_spec("samples", "base samples N of a saltelli design (N (k + 2) points)", 1));
      g.integer("trajectories", trajectories,
                optional_spec("trajectories", "trajectories r of a morris design (r (k + 1) points)", 1));
      g.integer("levels", levels,
                optional_spec("levels", "morris design: grid levels p of each factor's range, even (default 4)", 2));
      input::NamedVector<FactorEntry> factor_list(factors);
      g.named_sections("factors",
                       Spec{.description = "scenario key paths the design varies", .optional = true, .any_names = true},
                       factor_list);
      input::NamedVector<Variant> variant_list(variants);
      g.named_sections("variants",
                       Spec{.description = "named sets of scenario overrides", .optional = true, .any_names = true},
                       variant_list);
      g.flag("switch_off_each_intervention", switch_off_each_intervention,
             optional_spec("", "variants design: add a variant without_<name> for each intervention switched on"));
    });
  }
};

// The sweep file as read, and where each of its values was written.
struct SweepParts {
  std::string path;
  SweepFile file;
  input::Locations where;

  explicit SweepParts(const std::string& sweep_path) : path(sweep_path) {
    where = input::read_fields(input::parse_yaml_file(path), {}, [&](Fields& f) { file.describe(f); });
  }
  input::Located at(const std::string& key) const {
    const auto found_at = where.find(key);
    return found_at == where.end() ? input::Located{Origin{path, 0, 0}, ""} : found_at->second;
  }
  [[noreturn]] void refuse(const std::string& key, const std::string& problem) const {
    const input::Located located = at(key);
    throw InputError(located.origin, key, located.text, problem);
  }
  bool has(const std::string& key) const { return where.count(key) > 0; }
  const std::string& type() const { return file.type; }
  // Where each of the overrides under `prefix` (set, design.variants.NAME) was written.
  std::vector<Origin> origins(const std::string& prefix, const std::vector<Override>& items) const {
    std::vector<Origin> out;
    for (const Override& item : items) out.push_back(at(prefix + "." + item.path).origin);
    return out;
  }
};

// ---- Factors ------------------------------------------------------------------

struct FactorSpec {
  Factor factor;
  FieldKind kind = FieldKind::real;
  std::vector<std::string> levels;  // grid: the override texts
  std::vector<Origin> level_origins;
  double low = 0, high = 0;  // continuous designs; dates as days since 1970-01-01
  Origin range_origin;

  // The override text at u in [0, 1) of the range: integers and dates rounded.
  std::string value_at(double u) const {
    const double x = low + u * (high - low);
    if (kind == FieldKind::integer) return std::to_string(std::llround(x));
    if (kind == FieldKind::date) return engine::Date::from_days(static_cast<std::int32_t>(std::llround(x))).iso();
    return input::shortest(x);
  }
};

FactorSpec read_factor(const SweepParts& parts, const FactorEntry& entry, const std::map<std::string, FieldKind>& kinds,
                       const std::string& base_label) {
  FactorSpec spec;
  spec.factor.path = entry.name;
  const std::string& path = entry.name;
  const std::string where = "design.factors." + path;
  const Origin key_origin = parts.at(where).origin;
  const auto kind = kinds.find(path);
  if (kind == kinds.end()) {
    std::vector<std::string> known;
    for (const auto& [name, ignored] : kinds) known.push_back(name);
    const std::string match = input::closest_match(path, known);
    throw InputError(key_origin, path, "",
                     "not a key path of the base scenario " + base_label +
                         (match.empty() ? "" : " (did you mean '" + match + "'?)"));
  }
  if (path == "seed")
    throw InputError(key_origin, path, "", "the run seeds come from the sweep's seed; use replicates to repeat runs");
  spec.kind = kind->second;
  spec.factor.numeric = spec.kind == FieldKind::real || spec.kind == FieldKind::integer;

  const bool grid = parts.type() == "grid";
  const std::string wanted = grid ? "values" : "range", other = grid ? "range" : "values";
  if (!parts.has(where + "." + wanted) || parts.has(where + "." + other))
    throw InputError(key_origin, where, "",
                     "expected " + wanted + (grid ? ": [a, b, ...]" : ": [low, high]") +
                         (!parts.has(where + "." + wanted) && parts.has(where + "." + other)
                              ? " (" + other + " is not for this design type)"
                              : ""));
  const std::vector<std::string>& given = grid ? entry.values : entry.range;
  const auto element = [&](std::size_t i) { return parts.at(where + "." + wanted + "[" + std::to_string(i) + "]"); };
  if (grid) {
    spec.levels = given;
    for (std::size_t i = 0; i < given.size(); ++i) spec.level_origins.push_back(element(i).origin);
    return spec;
  }

  spec.range_origin = parts.at(where + ".range").origin;
  if (!spec.factor.numeric && spec.kind != FieldKind::date)
    throw InputError(spec.range_origin, path, "",
                     "a range needs a number or date field, and this one is " +
                         std::string(spec.kind == FieldKind::flag ? "true/false" : "text") +
                         ": list its values in a grid design, or use variants");
  double bounds[2];
  for (std::size_t i = 0; i < 2; ++i) {
    const input::Located end = element(i);
    // A quoted date is a date, as in the scenario; a quoted number is text.
    std::optional<double> value;
    if (spec.kind == FieldKind::date) {
      if (const auto day = engine::Date::parse(end.text)) value = day->days_since_epoch();
    } else {
      value = input::parse_number(given[i]);
    }
    if (!value)
      throw InputError(end.origin, path, end.text,
                       spec.kind == FieldKind::date ? "expected a range of dates, [YYYY-MM-DD, YYYY-MM-DD]"
                                                    : "expected a range of numbers, [low, high]");
    bounds[i] = *value;
    spec.levels.push_back(end.text);  // the ends, checked against the schema like grid values
    spec.level_origins.push_back(end.origin);
  }
  if (!(bounds[0] < bounds[1]))
    throw InputError(spec.range_origin, path, "[" + spec.levels[0] + ", " + spec.levels[1] + "]",
                     "expected a range [low, high] with low < high");
  spec.low = bounds[0];
  spec.high = bounds[1];
  return spec;
}

// ---- Checking overrides against the scenario --------------------------------

// Loads the base scenario with `overrides`; an error is reported at the
// sweep-file position of the override it is about, or at `fallback`.
void check(const std::string& base_text, const std::string& base_label, const std::vector<Override>& overrides,
           const std::vector<Origin>& origins, const Origin& fallback, const std::string& context) {
  try {
    scenario::load_scenario_text(base_text, base_label, overrides);
  } catch (const InputError& e) {
    for (std::size_t i = 0; i < overrides.size(); ++i)
      if (overrides[i].path == e.key_path())
        throw InputError(origins[i], e.key_path(), e.value(), e.problem() + context);
    throw InputError(fallback, e.key_path(), e.value(), e.problem() + context);
  }
}

std::string point_context(std::int64_t index, const DesignPoint& point) {
  std::string out = " (design point " + std::to_string(index);
  if (!point.variant.empty()) return out + ", variant " + point.variant + ")";
  for (std::size_t i = 0; i < point.overrides.size(); ++i)
    out += (i == 0 ? ": " : ", ") + point.overrides[i].path + " = " + point.overrides[i].value;
  return out + ")";
}

[[noreturn]] void refuse_seed(const Origin& origin, const std::string& value) {
  throw InputError(origin, "seed", value, "the run seeds come from the sweep's seed; use replicates to repeat runs");
}

// ---- The steps of load_sweep -------------------------------------------------

// A morris design needs trajectories and takes levels (even); no other design takes either.
void check_morris_keys(const SweepParts& parts) {
  const bool morris = parts.type() == "morris";
  for (const char* key : {"design.trajectories", "design.levels"})
    if (!morris && parts.has(key)) parts.refuse(key, "only a morris design takes " + std::string(key + 7));
  if (!morris) return;
  if (!parts.has("design.trajectories"))
    throw InputError(parts.at("design.type").origin, "design.trajectories", "",
                     "a morris design needs trajectories: r (it makes r (k + 1) points)");
  if (parts.file.levels % 2 != 0)
    parts.refuse("design.levels", "expected an even number of levels (so that each level has a partner half the "
                                  "range away)");
}

// Which keys each design type takes.
void check_design_keys(const SweepParts& parts) {
  const std::string& type = parts.type();
  const Origin type_origin = parts.at("design.type").origin;
  const bool variants = type == "variants", saltelli = type == "saltelli", replicates_only = type == "replicates";
  if (replicates_only && parts.has("design.factors"))
    throw InputError(parts.at("design.factors").origin, "design.factors", "",
                     "a replicates design runs the base scenario (with set:) alone: it takes no factors");
  const bool takes_points = type == "latin_hypercube" || type == "sobol";
  if (!takes_points && parts.has("design.points"))
    parts.refuse("design.points", "only latin_hypercube and sobol designs take points" +
                                      std::string(saltelli ? "; a saltelli design takes samples" : ""));
  if (!saltelli && parts.has("design.samples"))
    parts.refuse("design.samples",
                 "only a saltelli design takes samples" + std::string(takes_points ? "; use points" : ""));
  if (takes_points && !parts.has("design.points"))
    throw InputError(type_origin, "design.points", "", "a " + type + " design needs points: N");
  if (saltelli && !parts.has("design.samples"))
    throw InputError(type_origin, "design.samples", "",
                     "a saltelli design needs samples: N (it makes N (k + 2) points)");
  if (!variants && parts.file.switch_off_each_intervention)
    parts.refuse("design.switch_off_each_intervention", "only a variants design takes switch_off_each_intervention");
  check_morris_keys(parts);
  if (variants && parts.has("design.factors"))
    throw InputError(parts.at("design.factors").origin, "design.factors", "",
                     "a variants design takes variants, not factors");
  if (!variants && parts.has("design.variants"))
    throw InputError(parts.at("design.variants").origin, "design.variants", "", "only a variants design takes variants");
  if (!variants && !replicates_only && parts.file.factors.empty())
    throw InputError(type_origin, "design.factors", "", "a " + type + " design needs at least one factor");
  if (variants && !parts.file.switch_off_each_intervention &&
      parts.file.variants.empty())
    throw InputError(type_origin, "design.variants", "",
                     "a variants design needs at least one variant, or switch_off_each_intervention: true");
}

// The base scenario with the `set:` overrides, errors placed in the sweep file.
scenario::Scenario load_base(const SweepParts& parts, const fs::path& base_path) {
  const std::vector<Override>& fixed = parts.file.fixed;
  const std::vector<Origin> origins = parts.origins("set", fixed);
  std::error_code error;
  if (!fs::is_regular_file(base_path, error))
    parts.refuse("base_scenario", "no such scenario file: " + base_path.lexically_normal().string() +
                                      " (the path is relative to the sweep file)");
  for (std::size_t i = 0; i < fixed.size(); ++i)
    if (fixed[i].path == "seed") refuse_seed(origins[i], fixed[i].value);
  try {
    return scenario::load_scenario(base_path.string(), fixed);
  } catch (const InputError& e) {
    if (e.origin().file != "--set") throw;  // an error in the scenario file itself
    for (std::size_t i = 0; i < fixed.size(); ++i)
      if (fixed[i].path == e.key_path()) throw InputError(origins[i], e.key_path(), e.value(), e.problem());
    throw InputError(parts.at("set").origin, e.key_path(), e.value(), e.problem());
  }
}

using PointOrigins = std::vector<std::vector<Origin>>;  // per point, per override: where it was written

void add_variants(const SweepParts& parts, const scenario::Scenario& base, Sweep& sweep, PointOrigins& origins) {
  for (const Variant& variant : parts.file.variants) {
    const std::vector<Origin> where = parts.origins("design.variants." + variant.name, variant.overrides);
    for (std::size_t i = 0; i < variant.overrides.size(); ++i)
      if (variant.overrides[i].path == "seed") refuse_seed(where[i], variant.overrides[i].value);
    sweep.points.push_back(DesignPoint{.overrides = variant.overrides, .variant = variant.name});
    origins.push_back(where);
  }
  if (!parts.file.switch_off_each_intervention) return;
  // Read from the base scenario, so the variants follow it when interventions are added.
  const Origin flag = parts.at("design.switch_off_each_intervention").origin;
  for (const auto& intervention : base.interventions.items()) {
    if (!intervention->enabled) continue;
    const std::string name = "without_" + intervention->name;
    for (const DesignPoint& point : sweep.points)
      if (point.variant == name)
        throw InputError(flag, "design.variants." + name, "",
                         "a variant of this name is also made by switch_off_each_intervention");
    sweep.points.push_back(
        DesignPoint{.overrides = {{"interventions." + intervention->name + ".enabled", "false"}}, .variant = name});
    origins.push_back({flag});
  }
}

void add_factor_points(const SweepParts& parts, scenario::Scenario base, const std::string& base_label, Sweep& sweep,
                       PointOrigins& origins) {
  const bool grid = parts.type() == "grid", saltelli = parts.type() == "saltelli", morris = parts.type() == "morris";
  std::vector<FactorSpec> factors;
  const std::map<std::string, FieldKind> kinds = input::leaf_kinds([&](Fields& f) { base.describe(f); });
  for (const FactorEntry& entry : parts.file.factors) {
    const Origin key_origin = parts.at("design.factors." + entry.name).origin;
    factors.push_back(read_factor(parts, entry, kinds, base_label));
    for (const Override& fixed : parts.file.fixed)
      if (fixed.path == entry.name)
        throw InputError(key_origin, entry.name, "",
                         "also fixed under set: (line " + std::to_string(parts.at("set." + fixed.path).origin.line) +
                             "); a key is either fixed or a factor");
    sweep.factors.push_back(factors.back().factor);
    // Values and range ends alone, so that a bad one is named before any point uses it.
    for (std::size_t i = 0; i < factors.back().levels.size(); ++i)
      check(sweep.base_scenario, base_label, {{entry.name, factors.back().levels[i]}},
            {factors.back().level_origins[i]}, key_origin, "");
  }

  const std::size_t k = factors.size();
  const int max_factors = saltelli ? SobolSequence::max_dimensions / 2 : SobolSequence::max_dimensions;
  if ((saltelli || parts.type() == "sobol") && k > static_cast<std::size_t>(max_factors))
    throw InputError(parts.at("design.type").origin, "design.factors", std::to_string(k) + " factors",
                     "a " + parts.type() + " design takes at most " + std::to_string(max_factors) + " factors");
  double count = static_cast<double>(parts.file.points);
  if (saltelli) count = static_cast<double>(parts.file.samples) * static_cast<double>(k + 2);
  if (morris) count = static_cast<double>(parts.file.trajectories) * static_cast<double>(k + 1);
  if (grid) {
    count = 1;
    for (const FactorSpec& f : factors) count *= static_cast<double>(f.levels.size());
  }
  const auto whole = [](double x) {  // 20000000, not 2e+07; huge counts as 1e+300
    if (x >= 1e15) return input::shortest(x);
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", x);
    return std::string(text);
  };
  if (count * static_cast<double>(parts.file.replicates) > static_cast<double>(max_runs))
    parts.refuse(grid       ? "design.type"
                 : saltelli ? "design.samples"
                 : morris   ? "design.trajectories"
                            : "design.points",
                 "the sweep would make " + whole(count * static_cast<double>(parts.file.replicates)) + " runs (" +
                     whole(count) + " points x " + std::to_string(parts.file.replicates) +
                     " replicates), more than the " + std::to_string(max_runs) + " a sweep can have");

  // A point and where its values were written: a grid value's own line, or the factor's range.
  const auto add = [&](DesignPoint point, const std::vector<std::string>& values, const std::vector<Origin>& where) {
    for (std::size_t f = 0; f < k; ++f) point.overrides.push_back({factors[f].factor.path, values[f]});
    sweep.points.push_back(std::move(point));
    origins.push_back(where);
  };
  std::vector<Origin> ranges;
  for (const FactorSpec& f : factors) ranges.push_back(f.range_origin);
  const auto at = [&](const std::vector<double>& x) {
    std::vector<std::string> values;
    for (std::size_t f = 0; f < k; ++f) values.push_back(factors[f].value_at(x[f]));
    return values;
  };
  if (grid) {
    std::vector<std::size_t> levels;
    for (const FactorSpec& f : factors) levels.push_back(f.levels.size());
    for (const auto& level : grid_levels(levels)) {
      std::vector<std::string> values;
      std::vector<Origin> where;
      for (std::size_t f = 0; f < k; ++f) {
        values.push_back(factors[f].levels[level[f]]);
        where.push_back(factors[f].level_origins[level[f]]);
      }
      add({}, values, where);
    }
  } else if (saltelli) {
    for (const SaltelliRow& row : sweep::saltelli(static_cast<std::size_t>(parts.file.samples), k))
      add(DesignPoint{.saltelli_block = std::string(block_name(row.block)),
                      .saltelli_factor = row.factor,
                      .saltelli_sample = row.sample},
          at(row.x), ranges);
  } else if (morris) {
    for (const MorrisRow& row : sweep::morris(static_cast<std::size_t>(parts.file.trajectories), k,
                                              static_cast<std::size_t>(parts.file.levels), sweep.seed))
      add(DesignPoint{.morris_trajectory = row.trajectory, .morris_factor = row.factor, .morris_step = row.step},
          at(row.x), ranges);
  } else {
    const auto n = static_cast<std::size_t>(parts.file.points);
    for (const auto& x : parts.type() == "sobol" ? sobol_points(n, k) : latin_hypercube(n, k, sweep.seed))
      add({}, at(x), ranges);
  }
}

}  // namespace

Sweep load_sweep(const std::string& path) {
  const SweepParts parts(path);
  check_design_keys(parts);

  Sweep sweep;
  sweep.design = parts.type();
  sweep.seed = static_cast<std::uint64_t>(parts.file.seed);
  sweep.replicates = parts.file.replicates;
  sweep.common_random_numbers = parts.file.common_random_numbers;
  sweep.base_scenario_file = parts.file.base_scenario;

  // Every run starts from this text: the base scenario with `set:` applied, resolved once.
  const fs::path base_path = fs::path(path).parent_path() / parts.file.base_scenario;
  const std::string base_label = base_path.lexically_normal().string();
  const scenario::Scenario base = load_base(parts, base_path);
  sweep.fixed = parts.file.fixed;
  sweep.base_scenario = scenario::resolved_yaml(base);

  PointOrigins origins;
  if (sweep.design == "variants") {
    add_variants(parts, base, sweep, origins);
  } else if (sweep.design == "replicates") {  // seeds alone: one point, the base scenario
    sweep.points.push_back(DesignPoint{});
    origins.push_back({});
  } else
    add_factor_points(parts, base, base_label, sweep, origins);
  if (sweep.num_runs() > max_runs)
    parts.refuse("replicates", "the sweep would make more than " + std::to_string(max_runs) + " runs");

  // Every point against the schema and the scenario's own checks, before any
  // run; in parallel (a few ms a point), reporting the first bad point.
  const Origin design = parts.at("design.type").origin;
  std::vector<std::exception_ptr> problems(sweep.points.size());
  engine::parallel_for(
      static_cast<std::int64_t>(sweep.points.size()),
      [&](std::int64_t p) {
        try {
          check(sweep.base_scenario, base_label, sweep.points[p].overrides, origins[p], design,
                point_context(p, sweep.points[p]));
        } catch (...) {
          problems[p] = std::current_exception();
        }
      },
      8);
  for (const std::exception_ptr& problem : problems)
    if (problem) std::rethrow_exception(problem);
  return sweep;
}

double numeric_value(const std::string& override_text) {
  const std::optional<double> value = input::parse_number(override_text);
  return value ? *value : NAN;
}

std::string text_value(const std::string& override_text) {
  const YamlNode node = input::parse_yaml_text(override_text, "override");
  return node.kind == YamlNode::Kind::scalar && !node.is_null() ? node.scalar : "";
}

}  // namespace fraudsim::sweep
