// fraudsim verify FILE.h5: re-runs the resolved scenario and seed stored in
// a run file and reports, dataset by dataset, whether the result is
// bit-identical. It re-runs rather than checks a checksum, so a changed seed
// or scenario in the file shows up as a difference.
#include "app/verify_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "app/cli_checks.hpp"
#include "engine/parallel.hpp"
#include "engine/stop.hpp"
#include "fraudsim/version.hpp"
#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "output/hdf5_files.hpp"
#include "output/hdf5_writer.hpp"
#include "run/run.hpp"
#include "input/input_error.hpp"

namespace fraudsim::app {

namespace {

int verify(const std::string& path, int threads, bool every_dataset) {
  if (!std::filesystem::is_regular_file(path))
    throw input::InputError({path, 0, 0}, "", "", "no such file");
  std::optional<output::Attributes> meta;
  try {
    meta = output::read_meta(path);
  } catch (const output::h5::Error&) {
    throw input::InputError({path, 0, 0}, "", "", "not an HDF5 file, or a damaged one");
  }
  if (!meta) throw input::InputError({path, 0, 0}, "", "", "not a fraudsim run file (no /meta)");
  const auto require = [&]<class T>(const char* key, const T* value) -> const T& {
    if (!value)
      throw input::InputError({path, 0, 0}, std::string("/meta/") + key, "", "missing: not a fraudsim run file");
    return *value;
  };
  const std::string& version = require("version", output::find_attribute<std::string>(*meta, "version"));
  const std::string& commit = require("git_commit", output::find_attribute<std::string>(*meta, "git_commit"));
  const std::string& scenario_text = require("scenario", output::find_attribute<std::string>(*meta, "scenario"));
  const std::int64_t seed = require("seed", output::find_attribute<std::int64_t>(*meta, "seed"));
  const std::int64_t* recorded = output::find_attribute<std::int64_t>(*meta, "transactions");
  const std::int64_t transactions = recorded ? *recorded : 0;
  if (version != build::version || commit != build::git_commit)
    std::printf("note: the file was written by fraudsim %s (%s); this is %s (%s)\n", version.c_str(), commit.c_str(),
                build::version, build::git_commit);

  const scenario::Scenario scenario = scenario::load_scenario_text(scenario_text, path + ":/meta/scenario");
  const engine::ThreadLimit limit(threads);
  const run::FinishedRun finished =
      run::run_scenario(scenario, {.seed = static_cast<std::uint64_t>(seed), .record_transactions = transactions != 0});
  const std::filesystem::path again =
      std::filesystem::temp_directory_path() / ("fraudsim-verify-" + std::to_string(::getpid()) + ".h5");
  struct Remove {
    std::filesystem::path p;
    ~Remove() { std::filesystem::remove(p); }
  } cleanup{again};
  run::RunInfo info{static_cast<std::uint64_t>(seed), threads, 0.0};
  output::write_hdf5(run::make_output(scenario, *finished.simulation, info), again);

  const auto stored = output::read_datasets(path), rerun = output::read_datasets(again);
  int differing = 0;
  for (const auto& [name, bytes] : rerun) {
    const auto found = stored.find(name);
    const char* verdict = found == stored.end() ? "MISSING from the file" : found->second == bytes ? "identical" : "DIFFERS";
    const bool differs = found == stored.end() || found->second != bytes;
    if (differs) ++differing;
    if (differs || every_dataset) std::printf("%-44s %s\n", name.c_str(), verdict);
  }
  for (const auto& [name, bytes] : stored)
    if (!rerun.contains(name)) {
      ++differing;
      std::printf("%-44s %s\n", name.c_str(), "DIFFERS: not produced by the re-run");
    }
  if (differing) {
    std::printf("\n%d dataset(s) differ: the file is not what its scenario and seed give\n", differing);
    return 1;
  }
  std::printf("\nall %zu datasets are bit-identical to a re-run of the stored scenario and seed %lld\n", rerun.size(),
              static_cast<long long>(seed));
  return 0;
}

}  // namespace

void add_verify_command(CLI::App& app, std::function<int()>& command) {
  auto path = std::make_shared<std::string>();
  auto threads = std::make_shared<int>(0);
  auto every_dataset = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand("verify", "re-run the scenario and seed stored in a run file and compare every dataset");
  sub->add_option("file", *path, "run file (HDF5) written by fraudsim run")->required();
  sub->add_option("--threads", *threads, "worker threads (default: all cores); results do not depend on it")
      ->check(whole_number());
  sub->add_flag("--all", *every_dataset, "list every dataset with its verdict, not only those that differ");
  sub->callback([&command, sub, path, threads, every_dataset] {
    if (sub->parsed()) command = [path, threads, every_dataset] { return verify(*path, *threads, *every_dataset); };
  });
}

}  // namespace fraudsim::app
