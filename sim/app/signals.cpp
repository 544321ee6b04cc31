#include "app/signals.hpp"

namespace fraudsim::app {

namespace {
volatile std::sig_atomic_t received = 0;
extern "C" void note_signal(int signal_number) { received = signal_number; }
}  // namespace

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

int stop_signal() { return received; }

}  // namespace fraudsim::app
