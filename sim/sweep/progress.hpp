#pragma once
// A progress line for a sweep on stderr, shown only when stderr is a
// terminal: runs done of the total, runs per second, time left.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>

namespace fraudsim::sweep {

class RunProgress {
 public:
  explicit RunProgress(std::int64_t total) : total_(total), shown_(isatty(STDERR_FILENO) == 1 && total > 0) {}
  ~RunProgress() {
    if (shown_ && done_ > 0) std::fprintf(stderr, "\n");
  }
  RunProgress(const RunProgress&) = delete;
  RunProgress& operator=(const RunProgress&) = delete;

  // Called by any thread when a run is finished.
  void run_done() {
    const std::lock_guard<std::mutex> hold(mutex_);
    ++done_;
    if (!shown_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done_ < total_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - begin_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0.0;
    std::fprintf(stderr, "\r%lld/%lld runs  %.2f runs/s  %.0f s left   ", static_cast<long long>(done_),
                 static_cast<long long>(total_), rate, rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0);
    std::fflush(stderr);
  }

 private:
  std::mutex mutex_;
  std::int64_t total_, done_ = 0;
  bool shown_;
  std::chrono::steady_clock::time_point begin_ = std::chrono::steady_clock::now(), last_{};
};

}  // namespace fraudsim::sweep
