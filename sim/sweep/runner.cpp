#include "sweep/runner.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>

#include "model/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "run/run.hpp"
#include "sweep/sweep_folder.hpp"

namespace fraudsim::sweep {

using input::InputError;
using input::Origin;

Shard parse_shard(const std::string& text) {
  long long index = -1, count = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%lld/%lld%n", &index, &count, &consumed) != 2 ||
      consumed != static_cast<int>(text.size()) || count < 1 || index < 0 || index >= count)
    throw InputError(Origin{"--shard", 0, 0}, "", text,
                     "expected I/N with 0 <= I < N, e.g. 0/4 for the first of 4 shards");
  return Shard{index, count};
}

std::optional<Shard> shard_from_environment() {
  const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
  if (!task) return std::nullopt;
  const auto number = [](const char* name) -> std::optional<long long> {
    const char* text = std::getenv(name);
    if (!text) return std::nullopt;
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0') throw InputError(Origin{"environment", 0, 0}, name, text, "expected an integer");
    return value;
  };
  const auto id = number("SLURM_ARRAY_TASK_ID"), min = number("SLURM_ARRAY_TASK_MIN");
  const auto max = number("SLURM_ARRAY_TASK_MAX"), count = number("SLURM_ARRAY_TASK_COUNT");
  const long long step = number("SLURM_ARRAY_TASK_STEP").value_or(1);
  const auto refuse = [&](const std::string& problem) {
    throw InputError(Origin{"environment", 0, 0}, "SLURM_ARRAY_TASK_ID", task, problem + "; pass --shard I/N");
  };
  if (!min || (!count && !max)) refuse("a job array task without SLURM_ARRAY_TASK_MIN and _COUNT or _MAX");
  if (step < 1) refuse("SLURM_ARRAY_TASK_STEP is not positive");
  const Shard shard{(*id - *min) / step, count ? *count : (*max - *min) / step + 1};
  if ((*id - *min) % step != 0 || shard.index < 0 || shard.index >= shard.count)
    refuse("the array's task ids are not evenly spaced from SLURM_ARRAY_TASK_MIN");
  return shard;
}

SweepPlan plan_sweep(const SweepJob& job, std::ostream& log) {
  SweepPlan plan;
  plan.sweep = load_sweep(job.sweep_file);
  plan.id = plan.sweep.id();
  plan.shard = job.shard ? job.shard : shard_from_environment();
  std::vector<std::int64_t> mine;
  for (std::int64_t index = 0; index < plan.sweep.num_runs(); ++index)
    if (!plan.shard || index % plan.shard->count == plan.shard->index) mine.push_back(index);
  plan.in_shard = static_cast<std::int64_t>(mine.size());
  claim_folder(job.outdir, plan.sweep);
  plan.pending = pending_runs(job.outdir, plan.id, mine, job.resume, log);
  return plan;
}

std::string describe(const SweepPlan& plan) {
  const Sweep& s = plan.sweep;
  const std::string points = s.design == "replicates" ? "the base scenario"
                             : std::to_string(s.points.size()) + " " +
                                   (s.design == "variants" ? "variants" : s.design + " points");
  std::string out = "sweep " + plan.id + ": " + std::to_string(s.num_runs()) + " runs (" + points + " x " +
                    std::to_string(s.replicates) + " replicates)";
  if (plan.shard)
    out += "; shard " + std::to_string(plan.shard->index) + "/" + std::to_string(plan.shard->count) + ": " +
           std::to_string(plan.in_shard) + " runs";
  const auto done = plan.in_shard - static_cast<std::int64_t>(plan.pending.size());
  if (done > 0) out += ", " + std::to_string(done) + " done before";
  return out + ", " + std::to_string(plan.pending.size()) + " to do";
}

void run_one(const Sweep& sweep, const std::string& sweep_id, const std::filesystem::path& outdir, std::int64_t index,
             int threads, model::PopulationCache* populations) {
  engine::throw_if_stopped();
  const RunPlan plan = sweep.run(index);
  const scenario::Scenario scenario = sweep.scenario(index);
  const run::FinishedRun finished = run::run_scenario(scenario, {.seed = plan.seed, .populations = populations});
  output::RunOutput out =
      run::make_output(scenario, *finished.simulation, run::RunInfo{plan.seed, threads, finished.wall_seconds, finished.setup_seconds});
  out.meta.emplace_back("sweep_id", sweep_id);
  out.meta.emplace_back("sweep_run", plan.index);
  out.meta.emplace_back("sweep_point", plan.point);
  out.meta.emplace_back("sweep_replicate", plan.replicate);
  output::write_hdf5(out, run_file(outdir, index));
}

void run_runs(const Sweep& sweep, const std::string& sweep_id, const SweepJob& job, const std::vector<std::int64_t>& runs,
              run::Ensemble& ensemble, const std::function<void()>& done) {
  // With common random numbers, the points share their replicates' seeds,
  // and mostly their residents too (model/population.hpp).
  std::optional<model::PopulationCache> populations;
  if (sweep.common_random_numbers) populations.emplace(static_cast<std::size_t>(sweep.replicates));
  ensemble.run(
      runs,
      [&](std::int64_t index) {
        run_one(sweep, sweep_id, job.outdir, index, job.threads, populations ? &*populations : nullptr);
        return run::JobResult{};
      },
      done);
}

}  // namespace fraudsim::sweep
