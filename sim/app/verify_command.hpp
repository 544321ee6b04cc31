#pragma once
// The `verify` sub-command of fraudsim.
#include <CLI/CLI.hpp>
#include <functional>

namespace fraudsim::app {

// Registers `verify` on `app`; after parsing, `command` runs it if chosen.
void add_verify_command(CLI::App& app, std::function<int()>& command);

}  // namespace fraudsim::app
