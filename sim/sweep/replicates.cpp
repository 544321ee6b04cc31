#include "sweep/replicates.hpp"

#include <unistd.h>

#include <numeric>

#include "engine/parallel.hpp"
#include "run/ensemble.hpp"
#include "scenario/scenario.hpp"
#include "sweep/merge.hpp"
#include "sweep/runner.hpp"
#include "sweep/sweep_folder.hpp"

namespace fraudsim::sweep {

namespace fs = std::filesystem;

Sweep replicates_sweep(const std::string& scenario_file, const std::vector<input::Override>& overrides,
                       std::uint64_t seed, std::int64_t replicates) {
  Sweep sweep;
  sweep.design = "replicates";
  sweep.seed = seed;
  sweep.replicates = replicates;
  sweep.base_scenario_file = scenario_file;
  sweep.fixed = overrides;
  sweep.base_scenario = scenario::resolved_yaml(scenario::load_scenario(scenario_file, overrides));
  sweep.points.push_back(DesignPoint{});  // seeds alone: one point, the scenario as given
  return sweep;
}

void run_replicates(const Sweep& sweep, const fs::path& output, int threads, const std::function<void()>& done) {
  // Beside the output, so that it is on the same disk; named by process, so
  // that two commands never share it.
  const fs::path folder =
      output.parent_path() / ("." + output.filename().string() + ".replicates-" + std::to_string(::getpid()));
  struct Remove {
    fs::path folder;
    ~Remove() {
      std::error_code ignored;
      fs::remove_all(folder, ignored);
    }
  } cleanup{folder};
  claim_folder(folder, sweep);
  std::vector<std::int64_t> runs(static_cast<std::size_t>(sweep.num_runs()));
  std::iota(runs.begin(), runs.end(), std::int64_t{0});
  {
    const engine::ThreadLimit limit(threads);
    SweepJob job;
    job.outdir = folder;
    job.threads = threads;
    run_runs(sweep, sweep.id(), job, runs, *run::thread_ensemble(), done);
  }
  merge_sweep(folder, output);
}

}  // namespace fraudsim::sweep
