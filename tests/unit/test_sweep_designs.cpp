// Designs of a sweep on the unit cube: grid order, Latin hypercube
// stratification, Sobol' points against published values, Saltelli layout,
// Morris trajectories.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "sweep/design.hpp"
#include "sweep/sobol.hpp"

using namespace fraudsim::sweep;

TEST_CASE("a grid holds every combination, the first factor varying slowest", "[sweep][design]") {
  const auto points = grid_levels({2, 3});
  REQUIRE(points.size() == 6);
  const std::vector<std::vector<std::size_t>> expected = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};
  CHECK(points == expected);
  CHECK(grid_levels({4, 1, 5}).size() == 20);
  CHECK(grid_levels({3}).size() == 3);
}

TEST_CASE("a Latin hypercube puts exactly one point in each stratum of each factor", "[sweep][design]") {
  for (const std::size_t n : {1, 2, 7, 64}) {
    const auto x = latin_hypercube(n, 3, 42);
    REQUIRE(x.size() == n);
    for (std::size_t f = 0; f < 3; ++f) {
      std::set<std::size_t> strata;
      for (const auto& point : x) {
        REQUIRE(point[f] >= 0.0);
        REQUIRE(point[f] < 1.0);
        strata.insert(static_cast<std::size_t>(point[f] * static_cast<double>(n)));
      }
      CHECK(strata.size() == n);
    }
  }
}

TEST_CASE("a Latin hypercube is reproducible from its seed and changes with it", "[sweep][design]") {
  CHECK(latin_hypercube(16, 4, 7) == latin_hypercube(16, 4, 7));
  CHECK(latin_hypercube(16, 4, 7) != latin_hypercube(16, 4, 8));
  // Factors are permuted independently: two columns are not the same order.
  const auto x = latin_hypercube(16, 2, 7);
  bool same_order = true;
  for (std::size_t p = 0; p < 16; ++p)
    same_order = same_order && static_cast<int>(x[p][0] * 16) == static_cast<int>(x[p][1] * 16);
  CHECK_FALSE(same_order);
}

TEST_CASE("the Sobol' sequence gives the published first points", "[sweep][design][sobol]") {
  // Joe and Kuo's program (new-joe-kuo-6.21201, Gray-code order) and
  // scipy.stats.qmc.Sobol(d=5, scramble=False); the first point is the origin.
  const std::vector<std::vector<double>> expected = {
      {0, 0, 0, 0, 0},
      {0.5, 0.5, 0.5, 0.5, 0.5},
      {0.75, 0.25, 0.25, 0.25, 0.75},
      {0.25, 0.75, 0.75, 0.75, 0.25},
      {0.375, 0.375, 0.625, 0.875, 0.375},
      {0.875, 0.875, 0.125, 0.375, 0.875},
      {0.625, 0.125, 0.875, 0.625, 0.625},
      {0.125, 0.625, 0.375, 0.125, 0.125},
      {0.1875, 0.3125, 0.9375, 0.4375, 0.5625},
      {0.6875, 0.8125, 0.4375, 0.9375, 0.0625},
  };
  CHECK(sobol_points(10, 5) == expected);
  // Point 15 in all 40 dimensions, which exercises every dimension's direction numbers.
  const std::vector<double> point15 = {0.0625, 0.9375, 0.5625, 0.3125, 0.6875, 0.1875, 0.8125, 0.3125, 0.3125, 0.6875,
                                       0.0625, 0.1875, 0.3125, 0.5625, 0.9375, 0.8125, 0.9375, 0.9375, 0.3125, 0.6875,
                                       0.8125, 0.8125, 0.5625, 0.8125, 0.3125, 0.6875, 0.1875, 0.8125, 0.3125, 0.5625,
                                       0.8125, 0.1875, 0.1875, 0.3125, 0.4375, 0.5625, 0.3125, 0.9375, 0.9375, 0.6875};
  CHECK(SobolSequence(40).point(15) == point15);
}

TEST_CASE("the first 2^m Sobol' points fill every dyadic interval of each coordinate once", "[sweep][design][sobol]") {
  const SobolSequence sequence(SobolSequence::max_dimensions);
  const std::size_t n = 256;
  for (int d = 0; d < SobolSequence::max_dimensions; ++d) {
    std::set<std::size_t> cells;
    for (std::size_t i = 0; i < n; ++i) cells.insert(static_cast<std::size_t>(sequence.point(i)[d] * n));
    CHECK(cells.size() == n);
  }
}

TEST_CASE("a Saltelli design has N (k + 2) rows: A, the k AB matrices, B", "[sweep][design][saltelli]") {
  const std::size_t n = 8, k = 3;
  const auto rows = saltelli(n, k);
  REQUIRE(rows.size() == n * (k + 2));
  const auto base = sobol_points(n, 2 * k);
  for (std::size_t j = 0; j < n; ++j) {
    const std::vector<double> a(base[j].begin(), base[j].begin() + k), b(base[j].begin() + k, base[j].end());
    const SaltelliRow* group = &rows[j * (k + 2)];
    CHECK(group[0].block == SaltelliRow::Block::A);
    CHECK(group[0].factor == -1);
    CHECK(group[0].x == a);
    for (std::size_t i = 0; i < k; ++i) {
      const SaltelliRow& ab = group[1 + i];
      CHECK(ab.block == SaltelliRow::Block::AB);
      CHECK(ab.factor == static_cast<int>(i));
      std::vector<double> expected = a;
      expected[i] = b[i];
      CHECK(ab.x == expected);
    }
    CHECK(group[k + 1].block == SaltelliRow::Block::B);
    CHECK(group[k + 1].x == b);
    for (std::size_t r = 0; r < k + 2; ++r) CHECK(group[r].sample == static_cast<std::int64_t>(j));
  }
  CHECK(block_name(SaltelliRow::Block::AB) == "AB");
}

TEST_CASE("each Morris trajectory moves every factor exactly once, one at a time, by plus or minus delta",
          "[sweep][design][morris]") {
  const std::size_t r = 12, k = 5, p = 4;
  const double delta = morris_delta(p);
  CHECK(delta == Approx(2.0 / 3.0));
  const auto rows = morris(r, k, p, 7);
  REQUIRE(rows.size() == r * (k + 1));
  std::size_t ups = 0;
  for (std::size_t t = 0; t < r; ++t) {
    const MorrisRow* trajectory = &rows[t * (k + 1)];
    CHECK(trajectory[0].factor == -1);
    CHECK(trajectory[0].step == 0.0);
    std::set<int> moved;
    for (std::size_t s = 0; s <= k; ++s) {
      CHECK(trajectory[s].trajectory == static_cast<std::int64_t>(t));
      for (const double x : trajectory[s].x) {  // on the grid {0, 1/3, 2/3, 1}
        CHECK(x >= 0.0);
        CHECK(x <= 1.0 + 1e-12);
        CHECK(x * (p - 1) == Approx(std::round(x * (p - 1))).margin(1e-9));
      }
      if (s == 0) continue;
      const MorrisRow& row = trajectory[s];
      moved.insert(row.factor);
      CHECK(std::abs(row.step) == Approx(delta));
      ups += row.step > 0;
      for (std::size_t f = 0; f < k; ++f) {
        const double change = row.x[f] - trajectory[s - 1].x[f];
        if (static_cast<int>(f) == row.factor)
          CHECK(change == Approx(row.step).margin(1e-12));
        else
          CHECK(change == 0.0);
      }
    }
    CHECK(moved.size() == k);  // every factor once
  }
  // The start level is uniform, so about half the moves go up (binomial(60, 0.5): 30 +- 4).
  CHECK(ups > 15);
  CHECK(ups < 45);
}

TEST_CASE("a Morris design is reproducible from its seed and changes with it", "[sweep][design][morris]") {
  const auto same = [](const std::vector<MorrisRow>& a, const std::vector<MorrisRow>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].x != b[i].x || a[i].factor != b[i].factor || a[i].step != b[i].step) return false;
    return true;
  };
  CHECK(same(morris(6, 4, 6, 3), morris(6, 4, 6, 3)));
  CHECK_FALSE(same(morris(6, 4, 6, 3), morris(6, 4, 6, 4)));
  // A trajectory depends on its own index alone: asking for more leaves the first ones as they were.
  const auto few = morris(2, 4, 6, 3), more = morris(5, 4, 6, 3);
  CHECK(same(few, std::vector<MorrisRow>(more.begin(), more.begin() + static_cast<std::ptrdiff_t>(few.size()))));
}
