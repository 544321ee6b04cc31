// The resolved sweep: numbering of runs, each run's scenario, and the text of
// OUTDIR/sweep.yaml, written once and read back by later workers and merge.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <cstdio>

#include "engine/random.hpp"
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
  YAML::Emitter out;
  out << YAML::Comment(
      "The resolved sweep: written once by the first worker; every later worker, shard and\n"
      "merge checks that its own sweep resolves to this same text. Run i is replicate\n"
      "i % replicates of point i / replicates.");
  out << YAML::BeginMap;
  out << YAML::Key << "format" << YAML::Value << format_name;
  out << YAML::Key << "design" << YAML::Value << design;
  out << YAML::Key << "seed" << YAML::Value << seed;
  out << YAML::Key << "replicates" << YAML::Value << replicates;
  out << YAML::Key << "common_random_numbers" << YAML::Value << common_random_numbers;
  out << YAML::Key << "runs" << YAML::Value << num_runs();
  out << YAML::Key << "base_scenario_file" << YAML::Value << base_scenario_file;
  out << YAML::Key << "set" << YAML::Value << YAML::BeginMap;
  for (const auto& item : fixed) out << YAML::Key << item.path << YAML::Value << item.value;
  out << YAML::EndMap;
  out << YAML::Key << "factors" << YAML::Value << YAML::BeginSeq;
  for (const Factor& factor : factors)
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "path" << YAML::Value << factor.path << YAML::Key << "column"
        << YAML::Value << (factor.numeric ? "number" : "text") << YAML::EndMap;
  out << YAML::EndSeq;
  out << YAML::Key << "points" << YAML::Value << YAML::BeginSeq;
  for (std::size_t p = 0; p < points.size(); ++p) {
    const DesignPoint& point = points[p];
    out << YAML::Flow << YAML::BeginMap << YAML::Key << "point" << YAML::Value << p;
    if (!point.variant.empty()) out << YAML::Key << "variant" << YAML::Value << point.variant;
    if (!point.saltelli_block.empty())
      out << YAML::Key << "saltelli_block" << YAML::Value << point.saltelli_block << YAML::Key << "saltelli_factor"
          << YAML::Value << point.saltelli_factor << YAML::Key << "saltelli_sample" << YAML::Value
          << point.saltelli_sample;
    out << YAML::Key << "overrides" << YAML::Value << YAML::BeginMap;
    for (const auto& item : point.overrides) out << YAML::Key << item.path << YAML::Value << item.value;
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "base_scenario" << YAML::Value << YAML::Literal << base_scenario;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string Sweep::id() const { return sweep_id(resolved_yaml()); }

std::string sweep_id(const std::string& resolved_text) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(engine::fnv1a64(resolved_text)));
  return hex;
}

Sweep parse_resolved_sweep(const std::string& text, const std::string& label) {
  Sweep sweep;
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap() || !root["format"] || root["format"].as<std::string>() != format_name)
      throw input::InputError({label, 0, 0}, "format", "",
                                 std::string("not a resolved sweep (expected format: ") + format_name + ")");
    sweep.design = root["design"].as<std::string>();
    sweep.seed = root["seed"].as<std::uint64_t>();
    sweep.replicates = root["replicates"].as<std::int64_t>();
    sweep.common_random_numbers = root["common_random_numbers"].as<bool>();
    sweep.base_scenario_file = root["base_scenario_file"].as<std::string>();
    for (const auto& item : root["set"])
      sweep.fixed.push_back({item.first.as<std::string>(), item.second.as<std::string>()});
    for (const auto& factor : root["factors"])
      sweep.factors.push_back({factor["path"].as<std::string>(), factor["column"].as<std::string>() == "number"});
    for (const auto& node : root["points"]) {
      DesignPoint point;
      if (node["variant"]) point.variant = node["variant"].as<std::string>();
      if (node["saltelli_block"]) {
        point.saltelli_block = node["saltelli_block"].as<std::string>();
        point.saltelli_factor = node["saltelli_factor"].as<std::int64_t>();
        point.saltelli_sample = node["saltelli_sample"].as<std::int64_t>();
      }
      for (const auto& item : node["overrides"])
        point.overrides.push_back({item.first.as<std::string>(), item.second.as<std::string>()});
      sweep.points.push_back(std::move(point));
    }
    sweep.base_scenario = root["base_scenario"].as<std::string>();
    // Checked by division first: points x replicates must not overflow.
    const auto points = static_cast<std::int64_t>(sweep.points.size());
    if (sweep.replicates < 1 || (points > 0 && sweep.replicates > INT64_MAX / points) ||
        root["runs"].as<std::int64_t>() != sweep.num_runs())
      throw input::InputError({label, 0, 0}, "runs", "", "does not match points x replicates");
  } catch (const YAML::Exception& e) {
    throw input::InputError(
        {label, e.mark.line < 0 ? 0 : e.mark.line + 1, e.mark.column < 0 ? 0 : e.mark.column + 1}, "", "",
        "not a readable resolved sweep: " + e.msg);
  }
  return sweep;
}

}  // namespace fraudsim::sweep
