#pragma once
// The one runner of many simulations: a sweep's runs and a calibration's
// simulations alike, on this machine's threads or over MPI ranks
// (run/mpi/), with one way to report failure and to stop.
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fraudsim::run {

// What a job hands back: numbers (a calibration's statistics), or nothing
// (a sweep's run writes its own file).
using JobResult = std::vector<double>;
using Job = std::function<JobResult(std::int64_t)>;

// Jobs failed on another process, which printed its own message.
struct FailedElsewhere : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Ensemble {
 public:
  virtual ~Ensemble() = default;
  // Runs job(k) for every k of `jobs` and returns the results in the order
  // of `jobs`, on every process. Every job is a pure function of k, so how
  // the jobs are spread changes nothing. `done` is called on the coordinator
  // after each job. A stop request (engine/stop.hpp) on any process stops
  // new jobs from starting, abandons those under way at their next day and
  // throws engine::Stopped; the first failure stops new jobs too and is
  // rethrown once those under way have ended.
  virtual std::vector<JobResult> run(const std::vector<std::int64_t>& jobs, const Job& job,
                                     const std::function<void()>& done = {}) = 0;
  // Whether this process coordinates: it alone writes shared files and speaks.
  virtual bool coordinator() const { return true; }
  // Processes taking part (MPI ranks), 1 on threads.
  virtual int processes() const { return 1; }
};

// On this process's threads (as capped by engine::ThreadLimit): several jobs
// at once, each on one thread with idle threads helping the last ones; or,
// with `one_at_a_time`, one after another on all threads (less memory).
std::unique_ptr<Ensemble> thread_ensemble(bool one_at_a_time = false);

}  // namespace fraudsim::run
