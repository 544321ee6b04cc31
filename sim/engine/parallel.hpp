#pragma once
// Parallel loops over agents. Results never depend on how the range is split:
// bodies write only to their own index, and sums are over integers (exact,
// so any association order gives the same total).
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace fraudsim::engine {

// Caps the worker threads for the lifetime of the object (0: all cores).
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads) {
    if (threads > 0)
      control_ = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                       static_cast<std::size_t>(threads));
  }
  static int active() {
    return static_cast<int>(tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
  }

 private:
  std::unique_ptr<tbb::global_control> control_;
};

// Runs job(k) for every k in [0, count): independent jobs, such as whole
// simulations, several at once, each on one thread with idle threads helping
// the jobs' own parallel loops. Each job is isolated: a thread waiting inside
// one job's parallel loop helps only that job, instead of starting another
// job on its stack. A failure is caught here, not left to TBB: an exception
// escaping the loop would cancel the task group, and with it the parallel
// loops inside the jobs still going on other threads, which would then
// finish with days half done. The first failure stops new jobs from starting
// and is rethrown once the jobs already started have ended.
template <class Job>
void run_jobs(std::int64_t count, Job&& job) {
  std::atomic<bool> failed{false};
  std::exception_ptr first_failure;
  std::mutex failure_mutex;
  tbb::parallel_for(
      tbb::blocked_range<std::int64_t>(0, count, 1),
      [&](const tbb::blocked_range<std::int64_t>& range) {
        for (std::int64_t k = range.begin(); k != range.end() && !failed; ++k) {
          try {
            tbb::this_task_arena::isolate([&] { job(k); });
          } catch (...) {
            const std::lock_guard<std::mutex> hold(failure_mutex);
            if (!first_failure) first_failure = std::current_exception();
            failed = true;
          }
        }
      },
      tbb::simple_partitioner());
  if (first_failure) std::rethrow_exception(first_failure);
}

template <class Body>
void parallel_for(std::int64_t count, Body&& body, std::int64_t grain = 1024) {
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, count, grain),
                    [&](const tbb::blocked_range<std::int64_t>& range) {
                      for (std::int64_t i = range.begin(); i != range.end(); ++i) body(i);
                    });
}

// Sum of body(i) over [0, count), for integer results only.
template <class Body>
std::int64_t parallel_sum(std::int64_t count, Body&& body, std::int64_t grain = 1024) {
  return tbb::parallel_reduce(
      tbb::blocked_range<std::int64_t>(0, count, grain), std::int64_t{0},
      [&](const tbb::blocked_range<std::int64_t>& range, std::int64_t total) {
        for (std::int64_t i = range.begin(); i != range.end(); ++i) total += body(i);
        return total;
      },
      [](std::int64_t a, std::int64_t b) { return a + b; });
}

// What body(i, emit) emits for each i in [0, count), made in parallel and
// returned in increasing order of i (the items of one i in the order emitted).
// For loops where few i emit anything.
template <class T, class Body>
std::vector<T> parallel_gather(std::int64_t count, Body&& body, std::int64_t grain = 1024) {
  tbb::enumerable_thread_specific<std::vector<std::pair<std::int64_t, T>>> made;
  tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, count, grain), [&](const tbb::blocked_range<std::int64_t>& range) {
    auto& mine = made.local();
    for (std::int64_t i = range.begin(); i != range.end(); ++i) body(i, [&](T item) { mine.emplace_back(i, std::move(item)); });
  });
  std::vector<std::pair<std::int64_t, T>> all;
  for (auto& mine : made) all.insert(all.end(), std::make_move_iterator(mine.begin()), std::make_move_iterator(mine.end()));
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<T> items;
  items.reserve(all.size());
  for (auto& [i, item] : all) items.push_back(std::move(item));
  return items;
}

}  // namespace fraudsim::engine
