#pragma once
// Experimental designs on the unit cube, before factor values are put in:
// which level of each factor a grid point takes, or where in [0, 1)^k a
// Latin hypercube, Sobol', Saltelli or Morris point lies. Every design is a pure
// function of its sizes (and, for the Latin hypercube and Morris, a seed).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fraudsim::sweep {

// Every combination of levels, levels[f] of them for factor f; the first
// factor varies slowest (nested loops in file order, like itertools.product).
std::vector<std::vector<std::size_t>> grid_levels(const std::vector<std::size_t>& levels);

// `points` points, each factor's range cut into `points` equal strata with
// exactly one point in each (McKay, Beckman and Conover 1979), jittered
// within its stratum. Drawn from the counter-based stream keyed by `seed`.
std::vector<std::vector<double>> latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed);

// The first `points` points of the Sobol' sequence in `factors` dimensions.
std::vector<std::vector<double>> sobol_points(std::size_t points, std::size_t factors);

// The Saltelli (2010) design for first-order and total Sobol' indices: from
// N points of a 2k-dimensional Sobol' sequence, A = the first k coordinates,
// B = the last k, and AB_i = A with column i taken from B. Rows are grouped
// by base sample j as A_j, AB_j^0 .. AB_j^(k-1), B_j: N (k + 2) rows, the
// order SALib's sobol.analyze (calc_second_order=False) expects.
struct SaltelliRow {
  enum class Block { A, B, AB };
  Block block;
  int factor;           // for AB rows, the column taken from B; -1 otherwise
  std::int64_t sample;  // base sample j
  std::vector<double> x;
};
std::vector<SaltelliRow> saltelli(std::size_t samples, std::size_t factors);
std::string_view block_name(SaltelliRow::Block block);

// Morris (1991) elementary-effects trajectories on a grid of `levels` levels
// per factor, {0, 1/(levels-1), ..., 1}, with step delta = levels / (2 (levels - 1))
// (`levels` even, so that every level has a partner delta away). Each
// trajectory starts at a random grid point and moves the factors one at a
// time, in a random order, by +delta or -delta, whichever stays in the cube:
// k + 1 rows, every factor moved exactly once. Drawn from the counter-based
// stream keyed by `seed`, one subject per trajectory.
struct MorrisRow {
  std::int64_t trajectory;
  int factor;   // the factor moved from the previous row; -1 for a trajectory's start
  double step;  // the signed move of `factor` in the unit cube (+delta or -delta); 0 at the start
  std::vector<double> x;
};
std::vector<MorrisRow> morris(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed);
double morris_delta(std::size_t levels);

}  // namespace fraudsim::sweep
