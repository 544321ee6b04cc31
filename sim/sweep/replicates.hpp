#pragma once
// `fraudsim run --replicates N`: one scenario run N times, replicate i with
// seed run_seed(seed, i), in one file laid out as a merged sweep (design
// `replicates`). It is the sweep of seeds alone that a sweep file with
// base_scenario, seed, replicates and set: (and no design) describes, and
// gives the same datasets. Two such files of one seed with different --set
// are paired replicate by replicate (the same seeds), so effects can be
// taken as paired differences.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "input/fields.hpp"
#include "sweep/sweep.hpp"

namespace fraudsim::sweep {

// The sweep of `replicates` seeds from `seed` of `scenario_file` with
// `overrides` (--set, as given; not the seed). Throws input::InputError for
// a bad scenario or override.
Sweep replicates_sweep(const std::string& scenario_file, const std::vector<input::Override>& overrides,
                       std::uint64_t seed, std::int64_t replicates);

// Runs every replicate on this machine's threads into a hidden folder beside
// `output`, merges them into `output` and removes the folder, also on failure
// or a stop (engine::Stopped). `done()` is called after each run.
void run_replicates(const Sweep& sweep, const std::filesystem::path& output, int threads,
                    const std::function<void()>& done);

}  // namespace fraudsim::sweep
