// Run seeds of a sweep: SplitMix64 against its reference values, and seeds
// that depend on the run's index alone.
#include <catch2/catch.hpp>
#include <set>

#include "sweep/seeds.hpp"

using namespace fraudsim::sweep;

TEST_CASE("SplitMix64 gives the reference outputs", "[sweep][seeds]") {
  // Seed 1234567: the reference values of splitmix64.c (Vigna), as listed by
  // Rosetta Code, "Pseudo-random numbers/Splitmix64".
  const std::uint64_t expected[] = {6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
                                    4593380528125082431ull, 16408922859458223821ull};
  for (std::uint64_t n = 0; n < 5; ++n) CHECK(splitmix64_output(1234567, n) == expected[n]);
}

TEST_CASE("a run seed is the top 53 bits of SplitMix64 output n: a valid scenario seed", "[sweep][seeds]") {
  CHECK(run_seed(1234567, 0) == 6457827717110365317ull >> 11);
  CHECK(run_seed(1234567, 4) == 16408922859458223821ull >> 11);
  std::set<std::uint64_t> seeds;
  for (std::uint64_t n = 0; n < 10000; ++n) {
    const std::uint64_t seed = run_seed(20240101, n);
    CHECK(seed < (std::uint64_t{1} << 53));
    seeds.insert(seed);
  }
  CHECK(seeds.size() == 10000);
  CHECK(run_seed(1, 0) != run_seed(2, 0));
}
