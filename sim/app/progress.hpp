#pragma once
// A progress line on stderr, shown only when stderr is a terminal.
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "engine/calendar.hpp"

namespace fraudsim::app {

class Progress {
 public:
  explicit Progress(const engine::Calendar& calendar) : calendar_(calendar), shown_(isatty(STDERR_FILENO) == 1) {}

  void update(std::int32_t done, std::int32_t total) {
    if (!shown_) return;
    const auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - begin_).count();
    const double fraction = static_cast<double>(done) / total;
    const int width = 30, filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%.*s%*s] %3.0f%%  %s  %.1f s elapsed, %.1f s left ", filled,
                 "==============================", width - filled, "", fraction * 100.0,
                 calendar_.date(done - 1).iso().c_str(), elapsed, fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0);
    std::fflush(stderr);
  }
  void finish() {
    if (shown_) std::fprintf(stderr, "\n");
  }

 private:
  const engine::Calendar calendar_;
  bool shown_;
  std::chrono::steady_clock::time_point begin_ = std::chrono::steady_clock::now(), last_{};
};

}  // namespace fraudsim::app
