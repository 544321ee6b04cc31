#pragma once
// A sweep or a merge stopped on request (SIGINT, SIGTERM): what was finished
// is kept, nothing half-written is.
#include <stdexcept>
#include <string>

namespace fraudsim::sweep {

struct Interrupted : std::runtime_error {
  explicit Interrupted(int signal_number)
      : std::runtime_error("interrupted by signal " + std::to_string(signal_number)), signal(signal_number) {}
  int signal;
};

}  // namespace fraudsim::sweep
