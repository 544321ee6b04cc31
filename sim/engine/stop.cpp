#include "engine/stop.hpp"

namespace fraudsim::engine {

namespace {
volatile std::sig_atomic_t requested = 0;
}  // namespace

void request_stop(int signal_number) noexcept { requested = signal_number; }

int stop_signal() noexcept { return requested; }

void clear_stop() noexcept { requested = 0; }

}  // namespace fraudsim::engine
