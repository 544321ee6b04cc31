#pragma once
// SIGINT and SIGTERM stop a run cleanly: the handlers only note the signal;
// the long loops check it and unwind, so temporary files are removed and
// nothing is left under the output name.
#include <csignal>
#include <stdexcept>

namespace fraudsim::app {

// Installs the handlers unconditionally: a job started in the background by
// a script inherits SIGINT ignored, and must still stop on it. Also ignores
// SIGXFSZ, so that a file-size limit makes the write fail with EFBIG and a
// clear message instead of killing the process.
void install_signal_handlers();

// The signal received, or 0.
int stop_signal();

// Thrown where a loop notices a stop request; main exits with 128 + signal.
struct Stopped : std::runtime_error {
  explicit Stopped(int signal_number) : std::runtime_error("stopped by signal"), signal(signal_number) {}
  int signal;
};

// Throws Stopped if a signal has been received.
inline void throw_if_stopped() {
  if (const int s = stop_signal()) throw Stopped(s);
}

}  // namespace fraudsim::app
