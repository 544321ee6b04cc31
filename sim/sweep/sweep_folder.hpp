#pragma once
// The output folder of a sweep:
//   OUTDIR/sweep.yaml          the resolved sweep (Sweep::resolved_yaml), written once
//   OUTDIR/runs/run-000123.h5  one file per run, each written atomically
// Several workers, ranks and shards share one folder; each finds the
// sweep.yaml the first one wrote and checks it is its own sweep.
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "sweep/sweep.hpp"

namespace fraudsim::sweep {

std::filesystem::path run_file(const std::filesystem::path& outdir, std::int64_t index);

// Creates OUTDIR and OUTDIR/runs if needed and writes OUTDIR/sweep.yaml, or
// checks the one already there. Throws input::InputError if OUTDIR holds a
// different sweep, output::OutputError if the folder cannot be written.
void claim_folder(const std::filesystem::path& outdir, const Sweep& sweep);

// The resolved sweep in OUTDIR/sweep.yaml, and its text.
struct FolderSweep {
  Sweep sweep;
  std::string text;
};
FolderSweep read_folder_sweep(const std::filesystem::path& outdir);

// Why `file` is not a finished run `index` of sweep `sweep_id` ("" if it is):
// unreadable as HDF5, or another sweep's or run's.
std::string run_file_problem(const std::filesystem::path& file, const std::string& sweep_id, std::int64_t index);

// Which of `indices` still have to run. Without `resume`, refuses (InputError)
// if any of them already has a run file. With it, keeps the valid ones and
// deletes damaged ones and temporary files a killed worker left, reporting
// each to `log`.
std::vector<std::int64_t> pending_runs(const std::filesystem::path& outdir, const std::string& sweep_id,
                                       const std::vector<std::int64_t>& indices, bool resume, std::ostream& log);

}  // namespace fraudsim::sweep
