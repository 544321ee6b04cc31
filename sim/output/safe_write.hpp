#pragma once
// Every file fraudsim writes (run, merged sweep, calibration, best-fit
// scenario, a sweep's sweep.yaml) goes out the same way: into a temporary
// file in the target's folder, fsynced, then renamed (or linked) to its
// name. A crash, a full disk or a stop request never leaves a half-written
// file under an output name.
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string_view>

namespace fraudsim::output {

// A failure to write output (disk full, file-size limit, permission): the
// message names the file and the cause. The command line exits with 1.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks, before a long job starts, that `path` can be created: its folder
// exists and is writable. Throws OutputError naming the path otherwise.
void check_writable(const std::filesystem::path& path);

// Makes `target`: `fill` creates the file at the temporary path it is given,
// which is then fsynced and renamed over `target`. On any failure the
// temporary file is removed and `target` is left as it was: a failure of
// the file system throws OutputError "<failure> '<target>': <cause>", an
// exception from `fill` passes through. If a stop was requested meanwhile
// (engine/stop.hpp), the new file is removed and engine::Stopped thrown:
// nothing is left under `target`.
void write_file(const std::filesystem::path& target, const std::function<void(const std::filesystem::path&)>& fill,
                std::string_view failure = "cannot write output file");
// The same with `bytes` as the whole content.
void write_file(const std::filesystem::path& target, std::string_view bytes);

// Makes `target` with `bytes` only if it does not exist yet (linked, not
// renamed): of several processes creating it at once, exactly one does.
// Returns false if it was there already. Failures as for write_file.
bool create_file(const std::filesystem::path& target, std::string_view bytes);

}  // namespace fraudsim::output
