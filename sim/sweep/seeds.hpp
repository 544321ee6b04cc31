#pragma once
// Run seeds of a sweep. A run's seed depends only on the sweep's base seed
// and the run's index, never on which thread, rank or shard ran it, nor on
// the order the runs were done in.
#include <cstdint>

namespace fraudsim::sweep {

// The SplitMix64 finaliser (Steele, Lea and Flood 2014, "Fast splittable
// pseudorandom number generators"; reference code prng.di.unimi.it/splitmix64.c).
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Output number `n` (0-based) of SplitMix64 seeded with `seed`: the state
// after n + 1 steps of the golden-ratio increment, mixed.
constexpr std::uint64_t splitmix64_output(std::uint64_t seed, std::uint64_t n) {
  return splitmix64_mix(seed + (n + 1) * 0x9e3779b97f4a7c15ull);
}

// The seed of run (or replicate) `n` of a sweep: the top 53 bits of
// SplitMix64 output n, so that it is a valid scenario seed (at most 2^53 - 1)
// and `fraudsim run --seed` reproduces the run by itself.
constexpr std::uint64_t run_seed(std::uint64_t base_seed, std::uint64_t n) {
  return splitmix64_output(base_seed, n) >> 11;
}

}  // namespace fraudsim::sweep
