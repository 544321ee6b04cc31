#pragma once
// Running the runs of a sweep: which runs this process does (all, or one
// shard of a Slurm job array), and doing them on this machine's threads.
// The MPI runner (sweep/mpi/) hands the same runs out to ranks.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/stop.hpp"
#include "model/population.hpp"
#include "run/ensemble.hpp"
#include "sweep/sweep.hpp"

namespace fraudsim::sweep {

// Shard `index` of `count` does the runs whose index % count == index.
struct Shard {
  std::int64_t index = 0, count = 1;
};
// "I/N" as given to --shard; throws InputError (origin "--shard") otherwise.
Shard parse_shard(const std::string& text);
// The shard of a Slurm job array task, from SLURM_ARRAY_TASK_ID and
// SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MIN/MAX (and _STEP); none outside an array.
std::optional<Shard> shard_from_environment();

// What `fraudsim sweep` was asked to do.
struct SweepJob {
  std::string sweep_file;
  std::filesystem::path outdir;
  std::optional<Shard> shard;  // none: the Slurm array task's, or every run
  bool resume = false;
  int threads = 0;  // 0: all cores
  bool one_run_at_a_time = false;
  // A stop request (engine/stop.hpp) is asked before each run and after
  // each simulated day: once made, no run starts, the runs under way are
  // abandoned without writing anything, the run files finished before are
  // kept for --resume, and engine::Stopped is thrown.
};


// The sweep loaded and checked, OUTDIR claimed, and the runs still to do.
struct SweepPlan {
  Sweep sweep;
  std::string id;
  std::optional<Shard> shard;
  std::int64_t in_shard = 0;          // runs of this shard (all runs without one)
  std::vector<std::int64_t> pending;  // of those, the ones without a valid run file
};
SweepPlan plan_sweep(const SweepJob& job, std::ostream& log);
// One line: "sweep <id>: 18 runs (9 points x 2 replicates); shard 1/4: 5 runs, 2 done before, 3 to do".
std::string describe(const SweepPlan& plan);

// Runs run `index` and writes OUTDIR/runs/run-<index>.h5 atomically; its
// /meta also records sweep_id, sweep_run, sweep_point and sweep_replicate.
// `threads` is recorded in /meta (it does not change the result);
// `populations` may hold residents set up by earlier runs (neither does
// it). Throws engine::Stopped, writing nothing, once a stop is asked for.
void run_one(const Sweep& sweep, const std::string& sweep_id, const std::filesystem::path& outdir, std::int64_t index,
             int threads, model::PopulationCache* populations = nullptr);

// Runs `runs` on `ensemble` (threads, or MPI ranks), each writing its run
// file; `done()` is called after each run (see run::Ensemble for failures
// and stops).
void run_runs(const Sweep& sweep, const std::string& sweep_id, const SweepJob& job, const std::vector<std::int64_t>& runs,
              run::Ensemble& ensemble, const std::function<void()>& done);

}  // namespace fraudsim::sweep
