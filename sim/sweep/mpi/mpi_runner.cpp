#include "sweep/mpi/mpi_runner.hpp"

#include <mpi.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "engine/parallel.hpp"
#include "sweep/progress.hpp"

namespace fraudsim::sweep::mpi {

namespace {

constexpr int tag_report = 1, tag_assignment = 2;
// A worker's report: the run it finished (>= 0), or one of these.
constexpr std::int64_t report_ready = -1, report_failed = -2, report_stopped = -3;
constexpr std::int64_t assignment_stop = -1;

std::string broadcast(std::string text) {
  std::uint64_t length = text.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  text.resize(length);
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

enum class Outcome { done, failed, stopped };

// Hands out every pending run, until a run fails or a stop is asked for
// (here, or by a worker that saw the signal first).
Outcome dispatch(const SweepPlan& plan, int ranks) {
  RunProgress progress(static_cast<std::int64_t>(plan.pending.size()));
  std::size_t next = 0;
  int working = ranks - 1;
  bool failed = false, stopped = false;
  while (working > 0) {
    stopped = stopped || engine::stop_signal() != 0;
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, tag_report, MPI_COMM_WORLD, &arrived, &status);
    if (!arrived) {  // Open MPI's blocking receive would spin a core that a worker could use
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    std::int64_t report = 0;
    MPI_Recv(&report, 1, MPI_INT64_T, status.MPI_SOURCE, tag_report, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (report >= 0) progress.run_done();
    if (report == report_failed) failed = true;
    if (report == report_stopped) stopped = true;
    std::int64_t assignment = assignment_stop;
    if (!failed && !stopped && next < plan.pending.size())
      assignment = plan.pending[next++];
    else
      --working;
    MPI_Send(&assignment, 1, MPI_INT64_T, status.MPI_SOURCE, tag_assignment, MPI_COMM_WORLD);
  }
  return stopped ? Outcome::stopped : failed ? Outcome::failed : Outcome::done;
}

int work(const Sweep& sweep, const std::string& id, const SweepJob& job, int rank) {
  // One rank per core is the usual launch: a run uses one thread unless told otherwise.
  const int threads = job.threads > 0 ? job.threads : 1;
  const engine::ThreadLimit limit(threads);
  std::int64_t report = report_ready;
  int code = 0;
  for (;;) {
    MPI_Send(&report, 1, MPI_INT64_T, 0, tag_report, MPI_COMM_WORLD);
    std::int64_t index = assignment_stop;
    MPI_Recv(&index, 1, MPI_INT64_T, 0, tag_assignment, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (index == assignment_stop) return code;
    try {
      run_one(sweep, id, job.outdir, index, threads);
      report = index;
    } catch (const engine::Stopped&) {
      report = report_stopped;
    } catch (const std::exception& e) {
      std::cerr << "error: run " << index << " on rank " << rank << ": " << e.what() << "\n";
      report = report_failed;
      code = 1;
    }
  }
}

}  // namespace

Session::Session() {
  int provided = 0;
  // Only the main thread calls MPI; the runs' own threads never do.
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
}

Session::~Session() { MPI_Finalize(); }

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name)) return true;
  return false;
}

int run_sweep(const Session& session, const SweepJob& job, std::ostream& log) {
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
  MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (failure) std::rethrow_exception(failure);
  if (code != 0) return code;

  if (session.size == 1) {
    RunProgress progress(static_cast<std::int64_t>(plan.pending.size()));
    run_on_threads(plan.sweep, plan.id, job, plan.pending, [&] { progress.run_done(); });
    return 0;
  }
  const std::string text = broadcast(session.rank == 0 ? plan.sweep.resolved_yaml() : std::string());
  Outcome outcome = Outcome::done;
  if (session.rank == 0)
    outcome = dispatch(plan, session.size);
  else
    code = work(parse_resolved_sweep(text, "the resolved sweep from rank 0"), sweep_id(text), job, session.rank);
  // mpirun ends every rank as soon as one exits with an error: none returns
  // before every other rank has written its last run. Every rank also learns
  // the signal that stopped any of them (mpirun sends it to each).
  int signal = engine::stop_signal(), any_signal = 0;
  MPI_Allreduce(&signal, &any_signal, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (any_signal != 0 || outcome == Outcome::stopped) throw engine::Stopped(any_signal != 0 ? any_signal : SIGTERM);
  if (outcome == Outcome::failed)
    throw std::runtime_error(
        "runs failed on other ranks (their messages are above); the finished runs are kept: "
        "run the sweep again with --resume");
  return code;
}

}  // namespace fraudsim::sweep::mpi
