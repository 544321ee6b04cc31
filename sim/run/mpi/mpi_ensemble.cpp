#include "run/mpi/mpi_ensemble.hpp"

#include <mpi.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/stop.hpp"

namespace fraudsim::run::mpi {

namespace {

constexpr int tag_report = 1, tag_assignment = 2;
// A worker's report: [kind, job, result...]. Kinds:
constexpr double report_ready = 0, report_done = 1, report_failed = 2, report_stopped = 3;
constexpr std::int64_t assignment_none = -1;
// How the batch ended, as rank 0 tells every rank.
constexpr int outcome_done = 0, outcome_failed = 1, outcome_stopped = 2;

class MpiEnsemble final : public Ensemble {
 public:
  MpiEnsemble(const Session& session, std::string job_name)
      : rank_(session.rank), size_(session.size), job_name_(std::move(job_name)) {}

  bool coordinator() const override { return rank_ == 0; }
  int processes() const override { return size_; }

  std::vector<JobResult> run(const std::vector<std::int64_t>& jobs, const Job& job,
                             const std::function<void()>& done) override {
    std::vector<JobResult> results;
    std::exception_ptr local_failure;
    int outcome = outcome_done;
    if (rank_ == 0)
      outcome = coordinate(jobs, job, done, results, local_failure);
    else
      work(job);
    MPI_Bcast(&outcome, 1, MPI_INT, 0, MPI_COMM_WORLD);
    // Every rank learns the signal that stopped any of them (mpirun sends it
    // to each, srun and scancel may reach only some).
    const int signal = largest(engine::stop_signal());
    if (signal != 0 || outcome == outcome_stopped) throw engine::Stopped(signal != 0 ? signal : SIGTERM);
    if (outcome == outcome_failed) {
      if (local_failure) std::rethrow_exception(local_failure);
      throw FailedElsewhere(job_name_ + "s failed on other ranks (their messages are above)");
    }
    share(results);
    return results;
  }

 private:
  // Rank 0: hands out the jobs, runs some itself on a thread of its own
  // (only this thread calls MPI), collects every result.
  int coordinate(const std::vector<std::int64_t>& jobs, const Job& job, const std::function<void()>& done,
                 std::vector<JobResult>& results, std::exception_ptr& local_failure) {
    results.assign(jobs.size(), {});
    std::mutex mutex;  // guards next, failed, results and done() between this thread and the local worker
    std::size_t next = 0;
    bool failed = false, stopped = false;
    auto take = [&]() -> std::int64_t {
      const std::lock_guard<std::mutex> hold(mutex);
      return failed || stopped || engine::stop_signal() != 0 || next == jobs.size() ? -1
                                                                                    : static_cast<std::int64_t>(next++);
    };
    std::thread local([&] {
      for (std::int64_t k; (k = take()) >= 0;) {
        try {
          JobResult result = job(jobs[static_cast<std::size_t>(k)]);
          const std::lock_guard<std::mutex> hold(mutex);
          results[static_cast<std::size_t>(k)] = std::move(result);
          if (done) done();
        } catch (const engine::Stopped&) {
          const std::lock_guard<std::mutex> hold(mutex);
          stopped = true;
        } catch (...) {
          const std::lock_guard<std::mutex> hold(mutex);
          if (!local_failure) local_failure = std::current_exception();
          failed = true;
        }
      }
    });
    // Which job each rank is doing (an index into jobs), to file its result.
    std::vector<std::int64_t> doing(static_cast<std::size_t>(size_), -1);
    int working = size_ - 1;
    std::vector<double> report;
    while (working > 0) {
      int arrived = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, tag_report, MPI_COMM_WORLD, &arrived, &status);
      if (!arrived) {  // Open MPI's blocking receive would spin a core that a job could use
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        continue;
      }
      int length = 0;
      MPI_Get_count(&status, MPI_DOUBLE, &length);
      report.resize(static_cast<std::size_t>(length));
      MPI_Recv(report.data(), length, MPI_DOUBLE, status.MPI_SOURCE, tag_report, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      const auto from = static_cast<std::size_t>(status.MPI_SOURCE);
      {
        const std::lock_guard<std::mutex> hold(mutex);
        if (report[0] == report_done) {
          results[static_cast<std::size_t>(doing[from])].assign(report.begin() + 1, report.end());
          if (done) done();
        }
        if (report[0] == report_failed) failed = true;
        if (report[0] == report_stopped) stopped = true;
      }
      const std::int64_t k = take();
      doing[from] = k;
      const std::int64_t assignment = k >= 0 ? jobs[static_cast<std::size_t>(k)] : assignment_none;
      if (k < 0) --working;
      MPI_Send(&assignment, 1, MPI_INT64_T, status.MPI_SOURCE, tag_assignment, MPI_COMM_WORLD);
    }
    local.join();
    return stopped || engine::stop_signal() != 0 ? outcome_stopped : failed ? outcome_failed : outcome_done;
  }

  // Every other rank: asks for a job, runs it, reports, until told there is none.
  void work(const Job& job) {
    std::vector<double> report{report_ready};
    for (;;) {
      MPI_Send(report.data(), static_cast<int>(report.size()), MPI_DOUBLE, 0, tag_report, MPI_COMM_WORLD);
      std::int64_t index = assignment_none;
      MPI_Recv(&index, 1, MPI_INT64_T, 0, tag_assignment, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (index == assignment_none) return;
      try {
        const JobResult result = job(index);
        report.assign(1, report_done);
        report.insert(report.end(), result.begin(), result.end());
      } catch (const engine::Stopped&) {
        report.assign(1, report_stopped);
      } catch (const std::exception& e) {
        std::cerr << "error: " << job_name_ << " " << index << " on rank " << rank_ << ": " << e.what() << "\n";
        report.assign(1, report_failed);
      }
    }
  }

  // Rank 0's results on every rank: their lengths, then their values.
  void share(std::vector<JobResult>& results) const {
    std::uint64_t count = results.size();
    MPI_Bcast(&count, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    std::vector<std::uint64_t> lengths(count);
    if (rank_ == 0)
      for (std::size_t k = 0; k < count; ++k) lengths[k] = results[k].size();
    MPI_Bcast(lengths.data(), static_cast<int>(count), MPI_UINT64_T, 0, MPI_COMM_WORLD);
    std::uint64_t total = 0;
    for (const auto length : lengths) total += length;
    if (total == 0) {
      results.assign(count, {});
      return;
    }
    std::vector<double> values;
    values.reserve(total);
    if (rank_ == 0)
      for (const auto& result : results) values.insert(values.end(), result.begin(), result.end());
    values.resize(total);
    MPI_Bcast(values.data(), static_cast<int>(total), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank_ == 0) return;
    results.assign(count, {});
    std::size_t at = 0;
    for (std::size_t k = 0; k < count; ++k) {
      results[k].assign(values.begin() + static_cast<std::ptrdiff_t>(at),
                        values.begin() + static_cast<std::ptrdiff_t>(at + lengths[k]));
      at += lengths[k];
    }
  }

  int rank_, size_;
  std::string job_name_;
};

}  // namespace

Session::Session() {
  int provided = 0;
  // Only each rank's main thread calls MPI; the jobs' own threads never do.
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

std::unique_ptr<Ensemble> ensemble(const Session& session, std::string job_name) {
  if (session.size == 1) return thread_ensemble();
  return std::make_unique<MpiEnsemble>(session, std::move(job_name));
}

std::string broadcast(std::string text) {
  std::uint64_t length = text.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  text.resize(length);
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
  return text;
}

int largest(int local) {
  int global = 0;
  MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return global;
}

}  // namespace fraudsim::run::mpi
