#pragma once
// Merging the run files of a sweep into one HDF5 file (layout: docs/output.md,
// "Merged sweep file"):
//   /meta                 attributes: version, git_commit, sweep (the resolved sweep text), design,
//                         n_runs, n_points, replicates, seed, common_random_numbers, sweep_id
//   /design/<column>      one row per run: run, point, replicate, seed, one column per factor
//                         (named by its key path), variant, saltelli_* or morris_* columns; attribute `factors`
//   /monthly/month        YYYY-MM
//   /monthly/<series>     [run, month], with units and description
#include <cstdint>
#include <filesystem>
#include <functional>

#include "engine/stop.hpp"

namespace fraudsim::sweep {

struct MergeSummary {
  std::int64_t runs = 0;
  std::size_t series = 0, months = 0;
};

// Refuses (input::InputError naming them) missing runs and run files of
// another sweep; writes `output` atomically (output::OutputError on failure).
// Once a stop is asked for (engine/stop.hpp), stops and throws
// engine::Stopped, leaving nothing under `output`.
MergeSummary merge_sweep(const std::filesystem::path& outdir, const std::filesystem::path& output);

}  // namespace fraudsim::sweep
