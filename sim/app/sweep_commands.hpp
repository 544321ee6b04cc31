#pragma once
// The `sweep` and `merge` sub-commands of fraudsim.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace fraudsim::app {

// Registers `sweep` and `merge` on `app`. After app.parse(), `command` holds
// the one chosen (empty if neither was): calling it runs it and returns the
// exit code. It throws input::InputError for bad input (exit code 2) and
// other exceptions for failures (1), as the other sub-commands do.
// `program`: the path fraudsim was called by (argv[0]), for the commands --list prints.
void add_sweep_commands(CLI::App& app, std::function<int()>& command, const std::string& program);

}  // namespace fraudsim::app
