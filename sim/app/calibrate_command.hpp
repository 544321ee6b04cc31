#pragma once
// The `calibrate` sub-command of fraudsim.
#include <CLI/CLI.hpp>
#include <functional>

namespace fraudsim::app {

// Registers `calibrate` on `app`; after parsing, `command` runs it if chosen.
void add_calibrate_command(CLI::App& app, std::function<int()>& command);

}  // namespace fraudsim::app
