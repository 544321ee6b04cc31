#pragma once
// SIGINT and SIGTERM stop a command cleanly: the handlers only note the
// signal (engine/stop.hpp); the long loops check it and unwind.
namespace fraudsim::app {

// Installs the handlers unconditionally: a job started in the background by
// a script inherits SIGINT ignored, and must still stop on it. Also ignores
// SIGXFSZ, so that a file-size limit makes the write fail with EFBIG and a
// clear message instead of killing the process.
void install_signal_handlers();

}  // namespace fraudsim::app
