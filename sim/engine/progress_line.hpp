#pragma once
// A progress line on stderr. On a terminal, one line redrawn in place a few
// times a second. Elsewhere (a pipe, a Slurm log) a plain line when the work
// starts, every `plain_interval`, and at the end, so that a log shows the
// job is alive without filling up.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace fraudsim::engine {

class ProgressLine {
 public:
  static constexpr std::chrono::seconds plain_interval{5};

  // `wanted` false: never print (nothing to report).
  explicit ProgressLine(bool wanted = true) : wanted_(wanted), terminal_(isatty(STDERR_FILENO) == 1) {}

  // Whether a line is due now (`last`: the work is done). If so, the caller
  // builds it and hands it to show().
  bool due(bool last) {
    if (!wanted_) return false;
    const auto now = std::chrono::steady_clock::now();
    const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(plain_interval);
    if (shown_any_ && !last && now - last_ < interval) return false;
    last_ = now;
    return true;
  }
  double elapsed_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count();
  }
  // `bar`: drawn before the text on a terminal only.
  void show(const std::string& text, const std::string& bar = "") {
    shown_any_ = true;
    if (terminal_)
      std::fprintf(stderr, "\r%s%s ", bar.c_str(), text.c_str());
    else
      std::fprintf(stderr, "progress: %s\n", text.c_str());
    std::fflush(stderr);
  }
  // Ends the redrawn line on a terminal.
  void finish() {
    if (terminal_ && shown_any_) std::fprintf(stderr, "\n");
    shown_any_ = false;
  }

 private:
  bool wanted_, terminal_, shown_any_ = false;
  std::chrono::steady_clock::time_point begin_ = std::chrono::steady_clock::now(), last_{};
};

}  // namespace fraudsim::engine
