// The libFuzzer target of everything fraudsim reads from its user: scenario
// files, --set overrides, sweep files, resolved sweeps (OUTDIR/sweep.yaml),
// calibration files and targets files.
//
// The first byte of an input picks the loader (one of the letters below; any
// other byte picks one by its value); the rest is the text of the file, or,
// for overrides, one KEY.PATH=VALUE argument per line (empty lines skipped)
// applied to the reference scenario. Every input must either load or throw
// input::InputError with the documented message: one line that begins
// "FILE[:LINE[:COLUMN]]: ", FILE not empty, and says what was expected. Any
// other exception, a crash, a sanitizer report, a hang (-timeout) or memory
// beyond -rss_limit_mb is a finding. scripts/fuzz.sh runs it.
#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <typeinfo>
#include <vector>

#include "calibrate/calibration.hpp"
#include "calibrate/targets.hpp"
#include "scenario/scenario.hpp"
#include "input/input_error.hpp"
#include "input/yaml_fields.hpp"
#include "input/yaml_tree.hpp"
#include "sweep/sweep.hpp"

namespace fs = std::filesystem;
using namespace fraudsim;
using input::InputError;
using input::YamlNode;

namespace {

constexpr char scenario_file = 's', overrides = 'o', sweep_file = 'w', resolved_sweep = 'r', calibration_file = 'c',
               targets_file = 't';
constexpr char loaders[] = {scenario_file, overrides, sweep_file, resolved_sweep, calibration_file, targets_file};

// Loading a sweep checks every design point against the scenario, a few
// milliseconds each by design: a fuzzed design of thousands of points is a
// slow input, not a bug, and is skipped.
constexpr double max_design_points = 16;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "\nfuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// A copy of scenarios/ in a temporary folder; fuzzed files are written beside
// the shipped ones, so that the relative paths in a sweep or calibration
// (../china_2019_2024.yaml, targets.yaml) resolve as in the source tree.
struct Workspace {
  fs::path root;
  std::string reference_path;
  YamlNode reference;  // the reference scenario, parsed once, for overrides

  Workspace() {
    std::string name = (fs::temp_directory_path() / "fraudsim_fuzz_XXXXXX").string();
    if (!::mkdtemp(name.data())) finding("cannot create a temporary folder");
    root = name;
    fs::copy(fs::path(FRAUDSIM_SOURCE_DIR) / "scenarios", root / "scenarios", fs::copy_options::recursive);
    reference_path = (root / "scenarios" / "china_2019_2024.yaml").string();
    reference = input::parse_yaml_file(reference_path);
  }
  ~Workspace() {
    std::error_code ignored;
    fs::remove_all(root, ignored);
  }
};

Workspace* workspace = nullptr;

// The input as a file in the workspace, removed after the input: a later
// input (a sweep naming ../fuzz_scenario.yaml) must not see an earlier one,
// or a finding would not reproduce on its own.
class InputFile {
 public:
  InputFile(const std::string& relative, const std::string& text)
      : path_((workspace->root / "scenarios" / relative).string()) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~InputFile() {
    std::error_code ignored;
    fs::remove(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The documented shape of an input error; `files` are the files it may name
// (empty: any).
void check_message(const InputError& error, std::initializer_list<std::string> files) {
  const std::string message = error.what();
  const std::string& file = error.origin().file;
  if (file.empty()) finding("an input error names no file: " + message);
  bool known = files.size() == 0;
  for (const std::string& allowed : files) known |= file == allowed;
  if (!known) finding("an input error names an unexpected file '" + file + "': " + message);
  const std::string origin = error.origin().describe();
  const bool plain = std::all_of(origin.begin(), origin.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
  if (plain && message.rfind(origin + ": ", 0) != 0)
    finding("an input error does not begin with its file and position: " + message);
  if (error.problem().empty()) finding("an input error does not say what was expected: " + message);
  if (message.find_first_of("\n\r") != std::string::npos) finding("an input error spans several lines: " + message);
}

double number_at(const YamlNode& mapping, const char* key) {
  const YamlNode* node = mapping.find(key);
  return node && node->kind == YamlNode::Kind::scalar ? std::strtod(node->scalar.c_str(), nullptr) : 0;
}

// An upper bound of the design points a sweep file asks for.
double design_points(const std::string& text) {
  YamlNode root;
  try {
    root = input::parse_yaml_text(text, "sweep");
  } catch (const InputError&) {
    return 0;  // load_sweep reports it
  }
  const YamlNode* design = root.kind == YamlNode::Kind::mapping ? root.find("design") : nullptr;
  if (!design || design->kind != YamlNode::Kind::mapping) return 0;
  double points = 1, factors = 0;
  if (const YamlNode* list = design->find("factors"); list && list->kind == YamlNode::Kind::mapping) {
    factors = static_cast<double>(list->mapping.size());
    for (const auto& [key, body] : list->mapping)
      for (const auto& [form, values] : body.mapping)
        points *= std::max<double>(1, static_cast<double>(values.sequence.size()));
  }
  if (const YamlNode* list = design->find("variants"); list && list->kind == YamlNode::Kind::mapping)
    points = std::max(points, static_cast<double>(list->mapping.size()));
  return std::max({points, number_at(*design, "points"), number_at(*design, "samples") * (factors + 2)});
}

void load_sweep(const std::string& text) {
  if (!(design_points(text) <= max_design_points)) return;
  const InputFile file("sweeps/fuzz_sweep.yaml", text);
  const std::string& path = file.path();
  sweep::Sweep loaded;
  try {
    loaded = sweep::load_sweep(path);
  } catch (const InputError& e) {
    check_message(e, {});
    return;
  }
  // Later workers and merge read the sweep back from OUTDIR/sweep.yaml.
  const std::string resolved = loaded.resolved_yaml();
  try {
    if (sweep::parse_resolved_sweep(resolved, "sweep.yaml").resolved_yaml() != resolved)
      finding("a resolved sweep does not read back to the same sweep:\n" + resolved);
  } catch (const InputError& e) {
    finding("a resolved sweep cannot be read back: " + std::string(e.what()) + "\n" + resolved);
  }
}

void load_targets(const std::string& path) {
  std::vector<calibrate::Target> targets;
  try {
    targets = calibrate::load_targets(path);
  } catch (const InputError& e) {
    check_message(e, {path});
    return;
  }
  // Each statistic over six years of months, as a calibration computes it.
  const std::vector<double> monthly(72, 1.0);
  for (const calibrate::Target& target : targets) {
    try {
      (void)calibrate::statistic(target, monthly, "2019-01");
    } catch (const InputError& e) {
      check_message(e, {path});
    }
  }
}

void load(char loader, const std::string& text) {
  switch (loader) {
    case scenario_file: {
      const InputFile file("fuzz_scenario.yaml", text);
      const std::string& path = file.path();
      try {
        (void)scenario::load_scenario(path);
      } catch (const InputError& e) {
        check_message(e, {path});
      }
      return;
    }
    case overrides: {
      std::vector<input::Override> list;
      std::istringstream lines(text);
      try {
        for (std::string line; std::getline(lines, line);)
          if (!line.empty()) list.push_back(input::parse_override(line));
        (void)scenario::load_scenario_tree(workspace->reference, list);
      } catch (const InputError& e) {
        check_message(e, {"--set", workspace->reference_path});
      }
      return;
    }
    case sweep_file:
      return load_sweep(text);
    case resolved_sweep:
      try {
        (void)sweep::parse_resolved_sweep(text, "sweep.yaml");
      } catch (const InputError& e) {
        check_message(e, {"sweep.yaml"});
      }
      return;
    case calibration_file: {
      const InputFile file("calibration/fuzz_calibration.yaml", text);
      const std::string& path = file.path();
      try {
        (void)calibrate::load_calibration(path);
      } catch (const InputError& e) {
        check_message(e, {});
      }
      return;
    }
    case targets_file: {
      const InputFile file("calibration/fuzz_targets.yaml", text);
      return load_targets(file.path());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // One worker thread: the sweep loader checks its points in parallel.
  static tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  static Workspace shared;
  workspace = &shared;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  char loader = static_cast<char>(data[0]);
  bool named = false;
  for (const char letter : loaders) named |= letter == loader;
  if (!named) loader = loaders[data[0] % sizeof loaders];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    load(loader, text);
  } catch (const std::exception& e) {
    finding(std::string("an exception other than InputError (") + typeid(e).name() + "): " + e.what());
  } catch (...) {
    finding("an exception that is not a std::exception");
  }
  return 0;
}
