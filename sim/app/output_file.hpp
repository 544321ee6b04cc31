#pragma once
// An output file named on the command line, checked before any work. A
// folder that does not exist, a folder named for a file, or (without
// --force) a file that exists is a usage error (exit 2), named with the
// option that gave it; a folder that cannot be written is a failure (exit 1,
// output::check_writable).
#include <filesystem>
#include <string>

#include "input/input_error.hpp"
#include "output/safe_write.hpp"

namespace fraudsim::app {

inline void check_output_file(const std::filesystem::path& path, bool force, const std::string& option = "-o") {
  namespace fs = std::filesystem;
  const auto refuse = [&](const std::string& why) {
    throw input::InputError({option, 0, 0}, "", "", "cannot write '" + path.string() + "': " + why);
  };
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code error;
  if (path.filename().empty() || fs::is_directory(path, error)) refuse("that is a folder; name a file");
  if (!fs::exists(folder, error)) refuse("folder '" + folder.string() + "' does not exist; create it first");
  if (!fs::is_directory(folder, error)) refuse("'" + folder.string() + "' is not a folder");
  if (!force && fs::exists(path, error)) refuse("the file exists; add --force to overwrite it, or name another file");
  output::check_writable(path);
}

}  // namespace fraudsim::app
