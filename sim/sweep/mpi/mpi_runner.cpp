#include "sweep/mpi/mpi_runner.hpp"

#include <exception>
#include <stdexcept>

#include "engine/parallel.hpp"
#include "sweep/progress.hpp"

namespace fraudsim::sweep::mpi {

int run_sweep(const run::mpi::Session& session, const SweepJob& job, std::ostream& log) {
  SweepPlan plan;
  std::exception_ptr failure;
  int code = 0;
  if (session.rank == 0) {
    try {
      plan = plan_sweep(job, log);
      log << describe(plan) << " on " << session.size << " MPI ranks\n" << std::flush;
    } catch (const input::InputError&) {
      failure = std::current_exception();
      code = 2;
    } catch (...) {
      failure = std::current_exception();
      code = 1;
    }
  }
  code = run::mpi::largest(code);  // only rank 0 has one
  if (failure) std::rethrow_exception(failure);
  if (code != 0) return code;

  const std::string text = run::mpi::broadcast(session.rank == 0 ? plan.sweep.resolved_yaml() : std::string());
  if (session.rank != 0) {
    plan.sweep = parse_resolved_sweep(text, "the resolved sweep from rank 0");
    plan.id = sweep_id(text);
  }
  // One rank per core is the usual launch: a run uses one thread unless told otherwise.
  SweepJob per_rank = job;
  if (per_rank.threads == 0 && session.size > 1) per_rank.threads = 1;
  const engine::ThreadLimit limit(per_rank.threads);
  const auto ensemble = run::mpi::ensemble(session, "run");
  RunProgress progress(session.rank == 0 ? static_cast<std::int64_t>(plan.pending.size()) : 0);
  try {
    run_runs(plan.sweep, plan.id, per_rank, plan.pending, *ensemble, [&] { progress.run_done(); });
  } catch (const run::FailedElsewhere&) {
    if (session.rank != 0) return 1;
    throw std::runtime_error(
        "runs failed on other ranks (their messages are above); the finished runs are kept: "
        "run the sweep again with --resume");
  }
  return 0;
}

}  // namespace fraudsim::sweep::mpi
