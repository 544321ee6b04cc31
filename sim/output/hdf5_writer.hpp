#pragma once
#include <filesystem>
#include <stdexcept>
#include <string>

#include "output/run_output.hpp"

namespace fraudsim::output {

// A failure to write output (disk full, file-size limit, permission): the
// message names the file and the cause. The command line exits with 1.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Checks, before a run starts, that `path` can be created: its folder exists
// and is writable. Throws OutputError naming the path otherwise.
void check_writable(const std::filesystem::path& path);

// Writes `run` to `path` through a temporary file in the same folder, renamed
// over `path` only once complete and closed; on any failure the temporary
// file is removed, nothing is left under `path`, and OutputError is thrown.
//
// Layout (see docs/output.md):
//   /meta            attributes: each meta entry (strings as variable-length UTF-8)
//   /daily/date      strings YYYY-MM-DD;  /daily/<series>    1-D, units + description attrs
//   /monthly/month   strings YYYY-MM;     /monthly/<series>  1-D, units + description attrs
//   /<table.group>/<column>  1-D datasets, units + description attrs on each
//   /perf            attributes: wall-clock seconds by name
void write_hdf5(const RunOutput& run, const std::filesystem::path& path);

}  // namespace fraudsim::output
