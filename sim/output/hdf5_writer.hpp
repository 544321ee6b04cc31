#pragma once
#include <filesystem>

#include "output/run_output.hpp"
#include "output/safe_write.hpp"

namespace fraudsim::output {

// Writes `run` to `path` by write_file (output/safe_write.hpp): complete or
// not at all; OutputError on failure, engine::Stopped on a stop request.
//
// Layout (see docs/output.md):
//   /meta            attributes: each meta entry (strings as variable-length UTF-8)
//   /daily/date      strings YYYY-MM-DD;  /daily/<series>    1-D, attrs units, description, kind, scaled
//   /monthly/month   strings YYYY-MM;     /monthly/<series>  1-D, the same attrs
//   /<table.group>/<column>  1-D datasets, units + description attrs on each
//   /perf            attributes: wall-clock seconds by name
void write_hdf5(const RunOutput& run, const std::filesystem::path& path);

}  // namespace fraudsim::output
