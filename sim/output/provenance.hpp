#pragma once
// Who wrote a file: the command line as run, the --set overrides as given,
// when (UTC) and on which host. The command records it once, before any
// work; every file the program writes carries it in /meta (added by the
// makers of each file's contents: run::make_output, the sweep's merge,
// calibrate's fit output; write_hdf5 writes only what it is given). It describes the
// writing, not the result: `fraudsim verify` compares datasets only, and
// tests that compare results leave these attributes out.
#include <string>
#include <utility>
#include <vector>

#include "output/run_output.hpp"

namespace fraudsim::output {

struct Invocation {
  std::string command_line;            // argv, each word quoted as a shell needs it
  std::vector<std::string> overrides;  // each --set KEY.PATH=VALUE as given, in order
};

// Called once by the command, before any thread writes a file.
void record_invocation(Invocation invocation);

// The /meta attributes: command_line, overrides (one per line, "" for none),
// created_utc (now, ISO 8601 with Z) and host. Without record_invocation
// (a library caller) the first two are empty.
std::vector<std::pair<std::string, MetaValue>> provenance_meta();

}  // namespace fraudsim::output
