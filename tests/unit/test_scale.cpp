// Valid at every scale: a mechanism that limits whole agents must not bind
// at a coarse scale where, in people, it is far from binding.
#include <catch2/catch.hpp>

#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using model::Series;

namespace {

std::int64_t first_year_recruits(const std::string& crossings_per_smuggler, std::uint64_t seed) {
  model::Simulation simulation = run::simulation_of(
      reference_scenario({{"scale", "2000"}, {"smuggling.crossings_per_smuggler_per_day", crossings_per_smuggler}}), seed);
  simulation.run();
  const auto& days = simulation.daily_counts();
  std::int64_t recruits = 0;
  for (std::size_t d = 0; d < 365 && d < days.size(); ++d) recruits += days[d][static_cast<std::size_t>(Series::recruits)];
  return recruits;
}

}  // namespace

// The reference's 2,000 smugglers take 1,000 people a day across, several
// times the recruits who want to cross; in 2019 there is no exit control to
// arrest them. At 1:2000 they are one agent taking half an agent a day: if
// the capacity were rounded day by day, half the days would have none and
// about a fifth of the recruits would be lost (so it was before issue 14).
TEST_CASE("smugglers far from their capacity do not limit recruitment at a coarse scale", "[simulation][scale]") {
  std::int64_t as_is = 0, unlimited = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    as_is += first_year_recruits("0.5", seed);
    unlimited += first_year_recruits("50", seed);
  }
  REQUIRE(unlimited > 0);
  CHECK(static_cast<double>(as_is) >= 0.9 * static_cast<double>(unlimited));
}
