#pragma once
// The progress of a sweep on stderr (engine/progress_line.hpp): runs done of
// the total, runs per second, time elapsed and left.
#include <cstdint>
#include <cstdio>
#include <mutex>

#include "engine/progress_line.hpp"

namespace fraudsim::sweep {

class RunProgress {
 public:
  explicit RunProgress(std::int64_t total) : total_(total), line_(total > 0) {}
  ~RunProgress() { line_.finish(); }
  RunProgress(const RunProgress&) = delete;
  RunProgress& operator=(const RunProgress&) = delete;

  // Called by any thread when a run is finished.
  void run_done() {
    const std::lock_guard<std::mutex> hold(mutex_);
    ++done_;
    if (!line_.due(done_ == total_)) return;
    const double elapsed = line_.elapsed_seconds();
    const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
    char text[160];
    std::snprintf(text, sizeof text, "%lld/%lld runs  %3.0f%%  %.2f runs/s  %.0f s elapsed, %.0f s left",
                  static_cast<long long>(done_), static_cast<long long>(total_),
                  100.0 * static_cast<double>(done_) / static_cast<double>(total_), rate, elapsed,
                  rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0);
    line_.show(text);
  }

 private:
  std::mutex mutex_;
  std::int64_t total_, done_ = 0;
  engine::ProgressLine line_;
};

}  // namespace fraudsim::sweep
