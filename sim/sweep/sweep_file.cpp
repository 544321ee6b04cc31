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

// The keys of SWEEP.yaml that the generic reader can declare. `set`,
// `design.factors` and `design.variants` are keyed by scenario key paths
// (with dots), which it does not take as names: they are cut out of the tree
// and read by hand below; the empty sections here only make them known keys.
struct SweepFile {
  std::string base_scenario;
  std::int64_t seed = 0;
  std::int64_t replicates = 1;
  bool common_random_numbers = false;
  std::string type;
  std::int64_t points = 0, samples = 0;
  bool switch_off_each_intervention = false;

  void describe(Fields& f) {
    f.text("base_scenario", base_scenario, Spec{"", "the scenario the sweep varies (path relative to the sweep file)"});
    f.integer("seed", seed, Spec{"", "base seed: each run's seed derives from it and the run's index", 0.0, max_seed});
    f.integer("replicates", replicates,
              input::positive_int("runs", "runs of each design point, each with its own seed"));
    f.flag(
        "common_random_numbers", common_random_numbers,
        optional_spec("", "replicate r of every design point gets the same seed (default false: every run its own)"));
    f.section("set", optional_spec("", "scenario key paths fixed for every run (like --set)"), [](Fields&) {});
    f.section("design", Spec{"", "how the design points are chosen"}, [&](Fields& g) {
      Spec type_spec{"", "kind of design"};
      type_spec.choices = {"grid", "latin_hypercube", "sobol", "saltelli", "variants"};
      g.text("type", type, type_spec);
      g.integer("points", points, optional_spec("points", "design points of a latin_hypercube or sobol design", 1));
      g.integer("samples", samples,
                optional_spec("samples", "base samples N of a saltelli design (N (k + 2) points)", 1));
      g.section("factors", optional_spec("", "scenario key paths the design varies"), [](Fields&) {});
      g.section("variants", optional_spec("", "named sets of scenario overrides"), [](Fields&) {});
      g.flag("switch_off_each_intervention", switch_off_each_intervention,
             optional_spec("", "variants design: add a variant without_<name> for each intervention switched on"));
    });
  }
};

// ---- The parts read by hand -------------------------------------------------

struct Entry {
  YamlNode key, value;
};

// Takes `key` out of `mapping`, if `mapping` is one and has it.
std::optional<Entry> cut(YamlNode& mapping, const std::string& key) {
  if (mapping.kind != YamlNode::Kind::mapping) return std::nullopt;
  for (auto it = mapping.mapping.begin(); it != mapping.mapping.end(); ++it) {
    if (it->first.kind != YamlNode::Kind::scalar || it->first.scalar != key) continue;
    Entry entry{std::move(it->first), std::move(it->second)};
    mapping.mapping.erase(it);
    return entry;
  }
  return std::nullopt;
}

bool is_null(const YamlNode& node) {
  if (node.kind == YamlNode::Kind::null) return true;
  return node.kind == YamlNode::Kind::scalar && !node.quoted &&
         (node.scalar.empty() || node.scalar == "~" || node.scalar == "null" || node.scalar == "Null" ||
          node.scalar == "NULL");
}

std::string found(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::mapping:
      return "a mapping";
    case YamlNode::Kind::sequence:
      return "a list";
    case YamlNode::Kind::null:
      return "nothing";
    case YamlNode::Kind::scalar:
      return "a single value";
  }
  return "";
}

// A mapping's entries; nothing (`key:` alone, `{}`) reads as no entries.
const std::vector<std::pair<YamlNode, YamlNode>>& entries_of(const Entry& entry, const std::string& path,
                                                             const std::string& expected) {
  static const std::vector<std::pair<YamlNode, YamlNode>> none;
  if (entry.value.kind == YamlNode::Kind::mapping) return entry.value.mapping;
  if (is_null(entry.value)) return none;
  throw InputError(entry.key.origin, path, entry.value.scalar,
                   "expected " + expected + ", found " + found(entry.value));
}

// A scenario value as override text. A quoted value stays quoted, so that it
// reads as text exactly as it would in the scenario file.
std::string override_text(const YamlNode& value, const std::string& path, const Origin& key_origin) {
  if (value.kind == YamlNode::Kind::null) return "~";
  if (value.kind != YamlNode::Kind::scalar)
    throw InputError(key_origin, path, "", "expected a single value, found " + found(value));
  if (!value.quoted) return value.scalar;
  std::string quoted = "\"";
  for (const char c : value.scalar) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// Scenario key path -> value, as under `set:` or in a variant.
struct Overrides {
  std::vector<Override> items;
  std::vector<Origin> origins;
};
Overrides read_overrides(const Entry& entry, const std::string& where) {
  Overrides out;
  for (const auto& [key, value] : entries_of(entry, where, "a mapping of scenario key paths to values")) {
    out.items.push_back({key.scalar, override_text(value, key.scalar, key.origin)});
    out.origins.push_back(value.kind == YamlNode::Kind::scalar ? value.origin : key.origin);
  }
  return out;
}

// ---- The base scenario's fields by key path ------------------------------

enum class Kind { real, integer, flag, date, text };

class FieldKinds final : public Fields {
 public:
  FieldKinds(std::map<std::string, Kind>& kinds, std::string prefix) : kinds_(kinds), prefix_(std::move(prefix)) {}
  void real(std::string_view key, double&, const Spec&) override { add(key, Kind::real); }
  void integer(std::string_view key, std::int64_t&, const Spec&) override { add(key, Kind::integer); }
  void flag(std::string_view key, bool&, const Spec&) override { add(key, Kind::flag); }
  void date(std::string_view key, engine::Date&, const Spec&) override { add(key, Kind::date); }
  void optional_date(std::string_view key, std::optional<engine::Date>&, const Spec&) override { add(key, Kind::date); }
  void text(std::string_view key, std::string&, const Spec&) override { add(key, Kind::text); }
  void section(std::string_view key, const Spec&, const std::function<void(Fields&)>& body) override {
    FieldKinds child(kinds_, path(key));
    body(child);
  }
  void named_sections(std::string_view key, const Spec&, input::NamedSections& entries) override {
    for (const std::string& name : entries.names()) {
      FieldKinds child(kinds_, path(key) + "." + name);
      entries.visit(name, child);
    }
  }

 private:
  std::string path(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }
  void add(std::string_view key, Kind kind) { kinds_[path(key)] = kind; }
  std::map<std::string, Kind>& kinds_;
  std::string prefix_;
};

std::map<std::string, Kind> field_kinds(scenario::Scenario scenario) {
  std::map<std::string, Kind> kinds;
  FieldKinds walker(kinds, "");
  scenario.describe(walker);
  return kinds;
}

// ---- Factors ------------------------------------------------------------------

struct FactorSpec {
  Factor factor;
  Kind kind = Kind::real;
  std::vector<std::string> levels;  // grid: the override texts
  std::vector<Origin> level_origins;
  double low = 0, high = 0;  // continuous designs; dates as days since 1970-01-01
  Origin range_origin;

  // The override text at u in [0, 1) of the range: integers and dates rounded.
  std::string value_at(double u) const {
    const double x = low + u * (high - low);
    if (kind == Kind::integer) return std::to_string(std::llround(x));
    if (kind == Kind::date) return engine::Date::from_days(static_cast<std::int32_t>(std::llround(x))).iso();
    return input::shortest(x);
  }
};

// One factor: `PATH: {values: [...]}` for a grid, `PATH: {range: [low, high]}` otherwise.
FactorSpec read_factor(const YamlNode& key, const YamlNode& body, bool grid, const std::map<std::string, Kind>& kinds,
                       const std::string& base_label) {
  FactorSpec spec;
  spec.factor.path = key.scalar;
  const std::string& path = key.scalar;
  const auto kind = kinds.find(path);
  if (kind == kinds.end()) {
    std::vector<std::string> known;
    for (const auto& [name, ignored] : kinds) known.push_back(name);
    const std::string match = input::closest_match(path, known);
    throw InputError(key.origin, path, "",
                     "not a key path of the base scenario " + base_label +
                         (match.empty() ? "" : " (did you mean '" + match + "'?)"));
  }
  if (path == "seed")
    throw InputError(key.origin, path, "", "the run seeds come from the sweep's seed; use replicates to repeat runs");
  spec.kind = kind->second;
  spec.factor.numeric = spec.kind == Kind::real || spec.kind == Kind::integer;

  const std::string wanted = grid ? "values" : "range";
  const std::string form = grid ? "values: [a, b, ...]" : "range: [low, high]";
  if (body.kind != YamlNode::Kind::mapping || body.mapping.size() != 1 || body.mapping[0].first.scalar != wanted) {
    const std::string other = body.kind == YamlNode::Kind::mapping && body.mapping.size() == 1
                                  ? " (" + body.mapping[0].first.scalar + " is not for this design type)"
                                  : "";
    throw InputError(key.origin, "design.factors." + path, "", "expected " + form + other);
  }
  const YamlNode& list = body.mapping[0].second;
  const Origin& list_origin = body.mapping[0].first.origin;
  if (list.kind != YamlNode::Kind::sequence || list.sequence.empty() || (!grid && list.sequence.size() != 2))
    throw InputError(
        list_origin, "design.factors." + path + "." + wanted, list.scalar,
        "expected " + form + ", found " +
            (list.kind == YamlNode::Kind::sequence ? std::to_string(list.sequence.size()) + " values" : found(list)));
  if (grid) {
    for (const YamlNode& value : list.sequence) {
      spec.levels.push_back(override_text(value, path, list_origin));
      spec.level_origins.push_back(value.kind == YamlNode::Kind::scalar ? value.origin : list_origin);
    }
    return spec;
  }

  spec.range_origin = list_origin;
  if (!spec.factor.numeric && spec.kind != Kind::date)
    throw InputError(list_origin, path, "",
                     "a range needs a number or date field, and this one is " +
                         std::string(spec.kind == Kind::flag ? "true/false" : "text") +
                         ": list its values in a grid design, or use variants");
  double bounds[2];
  for (int i = 0; i < 2; ++i) {
    const YamlNode& node = list.sequence[static_cast<std::size_t>(i)];
    const std::string text = node.kind == YamlNode::Kind::scalar ? node.scalar : "";
    std::optional<double> value;
    if (spec.kind == Kind::date) {
      if (const auto day = engine::Date::parse(text)) value = day->days_since_epoch();
    } else if (!node.quoted) {
      value = input::parse_number(text);
    }
    if (!value)
      throw InputError(node.kind == YamlNode::Kind::scalar ? node.origin : list_origin, path, text,
                       spec.kind == Kind::date ? "expected a range of dates, [YYYY-MM-DD, YYYY-MM-DD]"
                                               : "expected a range of numbers, [low, high]");
    bounds[i] = *value;
    spec.levels.push_back(text);  // the ends, checked against the schema like grid values
    spec.level_origins.push_back(node.origin);
  }
  if (!(bounds[0] < bounds[1]))
    throw InputError(list_origin, path, "[" + spec.levels[0] + ", " + spec.levels[1] + "]",
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

// The sweep file: the fields read_fields declares, and the parts keyed by
// scenario key paths, cut out of the tree before it reads the rest.
struct SweepParts {
  std::string path;
  SweepFile file;
  input::Locations where;
  std::optional<Entry> set, factors, variants;

  explicit SweepParts(const std::string& sweep_path) : path(sweep_path) {
    YamlNode root = input::parse_yaml_file(path);
    set = cut(root, "set");
    for (auto& [key, value] : root.mapping) {
      if (key.scalar != "design") continue;
      factors = cut(value, "factors");
      variants = cut(value, "variants");
    }
    where = input::read_fields(root, {}, [&](Fields& f) { file.describe(f); });
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
};

// Which keys each design type takes.
void check_design_keys(const SweepParts& parts) {
  const std::string& type = parts.type();
  const Origin type_origin = parts.at("design.type").origin;
  const bool variants = type == "variants", saltelli = type == "saltelli";
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
  if (variants && parts.factors)
    throw InputError(parts.factors->key.origin, "design.factors", "", "a variants design takes variants, not factors");
  if (!variants && parts.variants)
    throw InputError(parts.variants->key.origin, "design.variants", "", "only a variants design takes variants");
  if (!variants && (!parts.factors || entries_of(*parts.factors, "design.factors", "a mapping").empty()))
    throw InputError(type_origin, "design.factors", "", "a " + type + " design needs at least one factor");
  if (variants && !parts.file.switch_off_each_intervention &&
      (!parts.variants || entries_of(*parts.variants, "design.variants", "a mapping").empty()))
    throw InputError(type_origin, "design.variants", "",
                     "a variants design needs at least one variant, or switch_off_each_intervention: true");
}

// The base scenario with the `set:` overrides, errors placed in the sweep file.
scenario::Scenario load_base(const SweepParts& parts, const fs::path& base_path, const Overrides& fixed) {
  std::error_code error;
  if (!fs::is_regular_file(base_path, error))
    parts.refuse("base_scenario", "no such scenario file: " + base_path.lexically_normal().string() +
                                      " (the path is relative to the sweep file)");
  for (std::size_t i = 0; i < fixed.items.size(); ++i)
    if (fixed.items[i].path == "seed") refuse_seed(fixed.origins[i], fixed.items[i].value);
  try {
    return scenario::load_scenario(base_path.string(), fixed.items);
  } catch (const InputError& e) {
    if (e.origin().file != "--set") throw;  // an error in the scenario file itself
    for (std::size_t i = 0; i < fixed.items.size(); ++i)
      if (fixed.items[i].path == e.key_path()) throw InputError(fixed.origins[i], e.key_path(), e.value(), e.problem());
    throw InputError(parts.set->key.origin, e.key_path(), e.value(), e.problem());
  }
}

using PointOrigins = std::vector<std::vector<Origin>>;  // per point, per override: where it was written

void add_variants(const SweepParts& parts, const scenario::Scenario& base, Sweep& sweep, PointOrigins& origins) {
  if (parts.variants)
    for (const auto& [name, body] : parts.variants->value.mapping) {
      const Overrides set = read_overrides(Entry{name, body}, "design.variants." + name.scalar);
      for (std::size_t i = 0; i < set.items.size(); ++i)
        if (set.items[i].path == "seed") refuse_seed(set.origins[i], set.items[i].value);
      sweep.points.push_back(DesignPoint{.overrides = set.items, .variant = name.scalar});
      origins.push_back(set.origins);
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

void add_factor_points(const SweepParts& parts, const scenario::Scenario& base, const Overrides& fixed,
                       const std::string& base_label, Sweep& sweep, PointOrigins& origins) {
  const bool grid = parts.type() == "grid", saltelli = parts.type() == "saltelli";
  std::vector<FactorSpec> factors;
  const std::map<std::string, Kind> kinds = field_kinds(base);
  for (const auto& [key, body] : parts.factors->value.mapping) {
    factors.push_back(read_factor(key, body, grid, kinds, base_label));
    for (std::size_t i = 0; i < fixed.items.size(); ++i)
      if (fixed.items[i].path == key.scalar)
        throw InputError(key.origin, key.scalar, "",
                         "also fixed under set: (line " + std::to_string(fixed.origins[i].line) +
                             "); a key is either fixed or a factor");
    sweep.factors.push_back(factors.back().factor);
    // Values and range ends alone, so that a bad one is named before any point uses it.
    for (std::size_t i = 0; i < factors.back().levels.size(); ++i)
      check(sweep.base_scenario, base_label, {{key.scalar, factors.back().levels[i]}},
            {factors.back().level_origins[i]}, key.origin, "");
  }

  const std::size_t k = factors.size();
  const int max_factors = saltelli ? SobolSequence::max_dimensions / 2 : SobolSequence::max_dimensions;
  if ((saltelli || parts.type() == "sobol") && k > static_cast<std::size_t>(max_factors))
    throw InputError(parts.at("design.type").origin, "design.factors", std::to_string(k) + " factors",
                     "a " + parts.type() + " design takes at most " + std::to_string(max_factors) + " factors");
  double count = static_cast<double>(parts.file.points);
  if (saltelli) count = static_cast<double>(parts.file.samples) * static_cast<double>(k + 2);
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
  const Overrides fixed = parts.set ? read_overrides(*parts.set, "set") : Overrides{};
  const scenario::Scenario base = load_base(parts, base_path, fixed);
  sweep.fixed = fixed.items;
  sweep.base_scenario = scenario::resolved_yaml(base);

  PointOrigins origins;
  if (sweep.design == "variants")
    add_variants(parts, base, sweep, origins);
  else
    add_factor_points(parts, base, fixed, base_label, sweep, origins);
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
  return node.kind == YamlNode::Kind::scalar && !is_null(node) ? node.scalar : "";
}

}  // namespace fraudsim::sweep
