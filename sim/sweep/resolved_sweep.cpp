// The resolved sweep: numbering of runs, each run's scenario, and the text of
// OUTDIR/sweep.yaml, written once and read back by later workers and merge.
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "engine/random.hpp"
#include "input/numbers.hpp"
#include "input/yaml_tree.hpp"
#include "input/yaml_writer.hpp"
#include "sweep/seeds.hpp"
#include "sweep/sweep.hpp"

namespace fraudsim::sweep {

namespace {
constexpr const char* format_name = "fraudsim resolved sweep, version 1";
}  // namespace

RunPlan Sweep::run(std::int64_t index) const {
  RunPlan plan;
  plan.index = index;
  plan.point = index / replicates;
  plan.replicate = index % replicates;
  plan.seed = run_seed(seed, static_cast<std::uint64_t>(common_random_numbers ? plan.replicate : index));
  return plan;
}

scenario::Scenario Sweep::scenario(std::int64_t index) const {
  const RunPlan plan = run(index);
  std::vector<input::Override> overrides = points[static_cast<std::size_t>(plan.point)].overrides;
  overrides.push_back({"seed", std::to_string(plan.seed)});
  return scenario::load_scenario_text(base_scenario, "the sweep's base scenario", overrides);
}

std::string Sweep::resolved_yaml() const {
  input::YamlWriter out;
  out.comment(
      "The resolved sweep: written once by the first worker; every later worker, shard and\n"
      "merge checks that its own sweep resolves to this same text. Run i is replicate\n"
      "i % replicates of point i / replicates.");
  out.begin_map();
  out.key("format").value(format_name);
  out.key("design").value(design);
  out.key("seed").value(seed);
  out.key("replicates").value(replicates);
  out.key("common_random_numbers").value(common_random_numbers);
  out.key("runs").value(num_runs());
  out.key("base_scenario_file").value(base_scenario_file);
  out.key("set").begin_map();
  for (const auto& item : fixed) out.key(item.path).value(item.value);
  out.end_map();
  out.key("factors").begin_list();
  for (const Factor& factor : factors)
    out.begin_map(true).key("path").value(factor.path).key("column").value(factor.numeric ? "number" : "text").end_map();
  out.end_list();
  out.key("points").begin_list();
  for (std::size_t p = 0; p < points.size(); ++p) {
    const DesignPoint& point = points[p];
    out.begin_map(true).key("point").value(static_cast<std::uint64_t>(p));
    if (!point.variant.empty()) out.key("variant").value(point.variant);
    if (!point.saltelli_block.empty())
      out.key("saltelli_block").value(point.saltelli_block).key("saltelli_factor").value(point.saltelli_factor)
          .key("saltelli_sample").value(point.saltelli_sample);
    if (point.morris_trajectory >= 0)
      out.key("morris_trajectory").value(point.morris_trajectory).key("morris_factor").value(point.morris_factor)
          .key("morris_step").value(input::shortest(point.morris_step));
    out.key("overrides").begin_map();
    for (const auto& item : point.overrides) out.key(item.path).value(item.value);
    out.end_map().end_map();
  }
  out.end_list();
  out.key("base_scenario").literal(base_scenario);
  out.end_map();
  return out.text();
}

std::string Sweep::id() const { return sweep_id(resolved_yaml()); }

std::string sweep_id(const std::string& resolved_text) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(engine::fnv1a64(resolved_text)));
  return hex;
}

Sweep parse_resolved_sweep(const std::string& text, const std::string& label) {
  // A large design (1,672 Morris points of 208 factors: 350,000 overrides)
  // holds more values than a file a person writes. One value per byte is
  // room enough for any text resolved_yaml() writes, and still bounds a file
  // of nested aliases by its size.
  const input::YamlNode root = input::parse_yaml_text(text, label, std::max(input::max_yaml_values, text.size()));
  // The file is written by resolved_yaml() and checked against its id, so a
  // key missing or of the wrong form means a file edited by hand or damaged.
  const auto unreadable = [&](const input::YamlNode& at, const std::string& key) -> input::InputError {
    return input::InputError(at.origin, key, at.scalar, "not a readable resolved sweep");
  };
  const auto node = [&](const input::YamlNode& parent, const std::string& key) -> const input::YamlNode& {
    const input::YamlNode* found = parent.kind == input::YamlNode::Kind::mapping ? parent.find(key) : nullptr;
    if (!found) throw unreadable(parent, key);
    return *found;
  };
  const auto text_of = [&](const input::YamlNode& parent, const std::string& key) -> const std::string& {
    const input::YamlNode& value = node(parent, key);
    if (value.kind != input::YamlNode::Kind::scalar) throw unreadable(value, key);
    return value.scalar;
  };
  const auto integer = [&](const input::YamlNode& parent, const std::string& key) {
    const auto value = input::parse_integer(text_of(parent, key));
    if (!value) throw unreadable(node(parent, key), key);
    return *value;
  };
  const auto pairs = [&](const input::YamlNode& parent, const std::string& key) {
    std::vector<input::Override> out;
    const input::YamlNode& map = node(parent, key);
    if (map.kind == input::YamlNode::Kind::null) return out;
    if (map.kind != input::YamlNode::Kind::mapping) throw unreadable(map, key);
    for (const auto& [name, value] : map.mapping) {
      if (value.kind != input::YamlNode::Kind::scalar) throw unreadable(value, key + "." + name.scalar);
      out.push_back({name.scalar, value.scalar});
    }
    return out;
  };
  const auto list = [&](const input::YamlNode& parent, const std::string& key) -> const std::vector<input::YamlNode>& {
    const input::YamlNode& seq = node(parent, key);
    if (seq.kind != input::YamlNode::Kind::sequence) throw unreadable(seq, key);
    return seq.sequence;
  };

  const input::YamlNode* format = root.kind == input::YamlNode::Kind::mapping ? root.find("format") : nullptr;
  if (!format || format->scalar != format_name)
    throw input::InputError({label, 0, 0}, "format", "",
                            std::string("not a resolved sweep (expected format: ") + format_name + ")");
  Sweep sweep;
  sweep.design = text_of(root, "design");
  sweep.seed = static_cast<std::uint64_t>(integer(root, "seed"));
  sweep.replicates = integer(root, "replicates");
  const std::string& common = text_of(root, "common_random_numbers");
  if (common != "true" && common != "false") throw unreadable(node(root, "common_random_numbers"), "common_random_numbers");
  sweep.common_random_numbers = common == "true";
  sweep.base_scenario_file = text_of(root, "base_scenario_file");
  sweep.fixed = pairs(root, "set");
  for (const input::YamlNode& factor : list(root, "factors"))
    sweep.factors.push_back({text_of(factor, "path"), text_of(factor, "column") == "number"});
  for (const input::YamlNode& entry : list(root, "points")) {
    DesignPoint point;
    if (entry.find("variant")) point.variant = text_of(entry, "variant");
    if (entry.find("saltelli_block")) {
      point.saltelli_block = text_of(entry, "saltelli_block");
      point.saltelli_factor = integer(entry, "saltelli_factor");
      point.saltelli_sample = integer(entry, "saltelli_sample");
    }
    if (entry.find("morris_trajectory")) {
      point.morris_trajectory = integer(entry, "morris_trajectory");
      point.morris_factor = integer(entry, "morris_factor");
      const auto step = input::parse_number(text_of(entry, "morris_step"));
      if (!step) throw unreadable(node(entry, "morris_step"), "morris_step");
      point.morris_step = *step;
    }
    point.overrides = pairs(entry, "overrides");
    sweep.points.push_back(std::move(point));
  }
  sweep.base_scenario = text_of(root, "base_scenario");
  // Checked by division first: points x replicates must not overflow.
  const auto points = static_cast<std::int64_t>(sweep.points.size());
  if (sweep.replicates < 1 || (points > 0 && sweep.replicates > INT64_MAX / points) ||
      integer(root, "runs") != sweep.num_runs())
    throw input::InputError({label, 0, 0}, "runs", "", "does not match points x replicates");
  return sweep;
}

}  // namespace fraudsim::sweep
