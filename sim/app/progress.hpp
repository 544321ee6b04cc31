#pragma once
// The progress of one run on stderr (engine/progress_line.hpp): the date
// reached, the share done, time elapsed and left.
#include <cstdio>
#include <string>

#include "engine/calendar.hpp"
#include "engine/progress_line.hpp"

namespace fraudsim::app {

class Progress {
 public:
  explicit Progress(const engine::Calendar& calendar) : calendar_(calendar) {}

  void update(std::int32_t done, std::int32_t total) {
    if (!line_.due(done == total)) return;
    const double elapsed = line_.elapsed_seconds();
    const double fraction = static_cast<double>(done) / total;
    char text[128];
    std::snprintf(text, sizeof text, "%s  %3.0f%%  %.1f s elapsed, %.1f s left", calendar_.date(done - 1).iso().c_str(),
                  fraction * 100.0, elapsed, fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0);
    const int width = 30, filled = static_cast<int>(fraction * width);
    line_.show(text, "[" + std::string(filled, '=') + std::string(width - filled, ' ') + "] ");
  }
  void finish() { line_.finish(); }

 private:
  const engine::Calendar calendar_;
  engine::ProgressLine line_;
};

}  // namespace fraudsim::app
