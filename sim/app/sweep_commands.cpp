#include "app/sweep_commands.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/cli_checks.hpp"
#include "app/output_file.hpp"
#include "engine/parallel.hpp"
#include "app/shell_word.hpp"
#include "engine/stop.hpp"
#include "run/ensemble.hpp"
#include "sweep/merge.hpp"
#include "sweep/progress.hpp"
#include "sweep/runner.hpp"
#ifdef FRAUDSIM_HAVE_MPI
#include "sweep/mpi/mpi_runner.hpp"
#endif

namespace fraudsim::app {

namespace {

namespace fs = std::filesystem;

constexpr const char* sweep_help = R"(
A sweep file names a base scenario, a design and how many replicates to run
of each design point (docs/clusters.md). Each run is written to
OUTDIR/runs/run-000123.h5; `fraudsim merge OUTDIR` then makes one file.
Runs go in parallel on this machine's threads; under mpirun or srun
--mpi=pmix, rank 0 hands runs out to the other ranks; in a Slurm job array
each task does its share (--shard, or the SLURM_ARRAY_TASK_* variables).
A run's result depends only on its index: however the sweep is split, the
merged file is the same.

Examples:
  fraudsim sweep scenarios/sweeps/counterfactuals.yaml -o out/counterfactuals
  fraudsim sweep SWEEP.yaml -o OUTDIR --resume           # after a crash or a time limit
  mpirun -np 9 fraudsim sweep SWEEP.yaml -o OUTDIR       # 8 workers and a dispatcher
  fraudsim sweep SWEEP.yaml --list                       # each run as a fraudsim run command
)";

constexpr const char* merge_help = R"(
Refuses, naming them, runs that are missing and run files of another sweep.
The merged file holds /meta, /design (one row per run: point, replicate,
seed, factor values) and /monthly/<series> as [run, month] arrays
(docs/output.md, "Merged sweep file").
)";

// Every run as the `fraudsim run` command that reproduces it alone.
// `program` is the path this command was called by, so that the lines run as printed.
void list_runs(const sweep::Sweep& sweep, const std::string& sweep_file, const std::string& program) {
  const fs::path base = (fs::path(sweep_file).parent_path() / sweep.base_scenario_file).lexically_normal();
  for (std::int64_t index = 0; index < sweep.num_runs(); ++index) {
    const sweep::RunPlan plan = sweep.run(index);
    std::cout << shell_word(program) << " run " << shell_word(base.string()) << " --seed " << plan.seed;
    for (const auto* overrides : {&sweep.fixed, &sweep.points[static_cast<std::size_t>(plan.point)].overrides})
      for (const auto& item : *overrides) std::cout << " --set " << shell_word(item.path + "=" + item.value);
    std::cout << "  # run " << index << " (point " << plan.point << ", replicate " << plan.replicate << ")\n";
  }
}

int stopped_sweep(const engine::Stopped& e, const fs::path& outdir) {
  std::cerr << "stopped by signal " << e.signal << "; the runs finished so far are kept in " << outdir.string()
            << ": run the sweep again with --resume to do the rest\n";
  return 128 + e.signal;
}

int sweep_command(sweep::SweepJob job, const std::string& shard, bool list, const std::string& program) {
  if (!shard.empty()) job.shard = sweep::parse_shard(shard);
  if (list) {
    list_runs(sweep::load_sweep(job.sweep_file), job.sweep_file, program);
    return 0;
  }
  if (job.outdir.empty())
    throw input::InputError({"command line", 0, 0}, "", "", "fraudsim sweep needs -o OUTDIR, the output folder");
#ifdef FRAUDSIM_HAVE_MPI
  if (run::mpi::launched_by_mpi()) {
    const run::mpi::Session session;  // ends after the message below: see Session
    try {
      return sweep::mpi::run_sweep(session, job, std::cout);
    } catch (const engine::Stopped& e) {
      return session.rank == 0 ? stopped_sweep(e, job.outdir) : 128 + e.signal;
    }
  }
#endif
  try {
    const auto begin = std::chrono::steady_clock::now();
    const sweep::SweepPlan plan = sweep::plan_sweep(job, std::cout);
    std::cout << sweep::describe(plan) << std::endl;
    {
      const engine::ThreadLimit limit(job.threads);
      const auto ensemble = run::thread_ensemble(job.one_run_at_a_time);
      sweep::RunProgress progress(static_cast<std::int64_t>(plan.pending.size()));
      sweep::run_runs(plan.sweep, plan.id, job, plan.pending, *ensemble, [&] { progress.run_done(); });
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::cout << "done: " << plan.pending.size() << " runs in " << seconds
              << " s; once every run is done: fraudsim merge " << job.outdir.string() << " -o SWEEP.h5\n";
    return 0;
  } catch (const engine::Stopped& e) {
    return stopped_sweep(e, job.outdir);
  }
}

int merge_command(const std::string& outdir, std::string output) {
  if (output.empty()) {
    fs::path folder = fs::absolute(outdir).lexically_normal();
    if (!folder.has_filename()) folder = folder.parent_path();  // "out/" names the folder "out"
    output = folder.string() + ".h5";
  }
  check_output_file(output, true);
  try {
    const sweep::MergeSummary merged = sweep::merge_sweep(outdir, output);
    std::cout << "merged " << merged.runs << " runs (" << merged.series << " monthly series, " << merged.months
              << " months) into " << output << "\n";
    return 0;
  } catch (const engine::Stopped& e) {
    std::cerr << "stopped by signal " << e.signal << "; nothing written to " << output << "\n";
    return 128 + e.signal;
  }
}

}  // namespace

void add_sweep_commands(CLI::App& app, std::function<int()>& command, const std::string& program) {
  // The options live as long as the callbacks that read them.
  auto job = std::make_shared<sweep::SweepJob>();
  auto shard = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  auto outdir = std::make_shared<std::string>();

  CLI::App* sweep = app.add_subcommand("sweep", "run a parameter sweep (a design of scenario overrides) into a folder");
  sweep->footer(sweep_help);
  sweep->add_option("sweep", job->sweep_file, "sweep file (YAML)")->required();
  sweep->add_option("-o,--output", *outdir, "output folder; created if needed, shared by every worker, rank and shard")
      ->type_name("OUTDIR");
  sweep
      ->add_option(
          "--threads", job->threads,
          "threads on this machine (default: all cores; under MPI: per rank, default 1); results do not depend on it")
      ->check(whole_number());
  sweep
      ->add_option("--shard", *shard,
                   "do only the runs whose index % N == I (default in a Slurm job array: from SLURM_ARRAY_TASK_*)")
      ->type_name("I/N");
  sweep->add_flag("--resume", job->resume,
                  "keep the valid run files already in OUTDIR and do the rest (redoing damaged ones)");
  sweep->add_flag("--one-run-at-a-time", job->one_run_at_a_time,
                  "run one simulation at a time on all threads, instead of one per thread (less memory)");
  sweep->add_flag("--list", *list, "print each run as the fraudsim run command that reproduces it; run nothing");
  sweep->callback([&command, job, shard, list, outdir, program] {
    command = [job, shard, list, outdir, program] {
      job->outdir = *outdir;
      return sweep_command(*job, *shard, *list, program);
    };
  });

  auto merge_folder = std::make_shared<std::string>();
  auto merge_output = std::make_shared<std::string>();
  CLI::App* merge = app.add_subcommand("merge", "merge the run files of a sweep into one HDF5 file");
  merge->footer(merge_help);
  merge->add_option("outdir", *merge_folder, "the sweep's output folder")->required();
  merge->add_option("-o,--output", *merge_output, "merged file (default: OUTDIR.h5 next to the folder)");
  merge->callback([&command, merge_folder, merge_output] {
    command = [merge_folder, merge_output] { return merge_command(*merge_folder, *merge_output); };
  });
}

}  // namespace fraudsim::app
