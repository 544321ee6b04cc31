#include "app/signals.hpp"

#include <csignal>

#include "engine/stop.hpp"

namespace fraudsim::app {

namespace {
extern "C" void note_signal(int signal_number) { engine::request_stop(signal_number); }
}  // namespace

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = note_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace fraudsim::app
