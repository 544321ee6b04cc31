#pragma once
// The one way a long job stops on request (SIGINT, SIGTERM): the signal
// handler only notes the signal here; the long loops ask, and unwind by
// throwing Stopped, so that temporary files are removed and nothing
// half-written is left under an output name.
#include <csignal>
#include <stdexcept>
#include <string>

namespace fraudsim::engine {

// Notes a stop request; async-signal-safe (called from a signal handler).
void request_stop(int signal_number) noexcept;
// The signal that asked for a stop, or 0.
int stop_signal() noexcept;
// Forgets a stop request: for a process that goes on after a stopped run
// (the Python module, where Ctrl-C ends a run, not the interpreter).
void clear_stop() noexcept;

// Thrown where a loop notices a stop request; a command exits with 128 + signal.
struct Stopped : std::runtime_error {
  explicit Stopped(int signal_number)
      : std::runtime_error("stopped by signal " + std::to_string(signal_number)), signal(signal_number) {}
  int signal;
};

// Throws Stopped if a stop has been asked for.
inline void throw_if_stopped() {
  if (const int s = stop_signal()) throw Stopped(s);
}

}  // namespace fraudsim::engine
