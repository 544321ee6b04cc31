#include "sweep/design.hpp"

#include <cassert>
#include <numeric>
#include <utility>

#include "engine/random.hpp"
#include "sweep/sobol.hpp"

namespace fraudsim::sweep {

std::vector<std::vector<std::size_t>> grid_levels(const std::vector<std::size_t>& levels) {
  std::size_t count = 1;
  for (const std::size_t n : levels) count *= n;
  std::vector<std::vector<std::size_t>> points(count, std::vector<std::size_t>(levels.size()));
  for (std::size_t p = 0; p < count; ++p) {
    std::size_t rest = p;
    for (std::size_t f = levels.size(); f-- > 0;) {  // the last factor varies fastest
      points[p][f] = rest % levels[f];
      rest /= levels[f];
    }
  }
  return points;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t points, std::size_t factors, std::uint64_t seed) {
  const engine::Stream stream(seed, "sweep.latin_hypercube");
  std::vector<std::vector<double>> x(points, std::vector<double>(factors));
  for (std::size_t f = 0; f < factors; ++f) {
    engine::Draws draws = stream.draws(f, 0);
    std::vector<std::size_t> stratum(points);
    std::iota(stratum.begin(), stratum.end(), std::size_t{0});
    for (std::size_t i = points; i > 1; --i) std::swap(stratum[i - 1], stratum[draws.below(i)]);  // Fisher-Yates
    for (std::size_t p = 0; p < points; ++p)
      x[p][f] = (static_cast<double>(stratum[p]) + draws.uniform()) / static_cast<double>(points);
  }
  return x;
}

std::vector<std::vector<double>> sobol_points(std::size_t points, std::size_t factors) {
  const SobolSequence sequence(static_cast<int>(factors));
  std::vector<std::vector<double>> x;
  x.reserve(points);
  for (std::size_t p = 0; p < points; ++p) x.push_back(sequence.point(p));
  return x;
}

std::vector<SaltelliRow> saltelli(std::size_t samples, std::size_t factors) {
  const SobolSequence sequence(static_cast<int>(2 * factors));
  std::vector<SaltelliRow> rows;
  rows.reserve(samples * (factors + 2));
  for (std::size_t j = 0; j < samples; ++j) {
    const std::vector<double> base = sequence.point(j);
    const std::vector<double> a(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(factors));
    const std::vector<double> b(base.begin() + static_cast<std::ptrdiff_t>(factors), base.end());
    const auto sample = static_cast<std::int64_t>(j);
    rows.push_back({SaltelliRow::Block::A, -1, sample, a});
    for (std::size_t i = 0; i < factors; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      rows.push_back({SaltelliRow::Block::AB, static_cast<int>(i), sample, std::move(ab)});
    }
    rows.push_back({SaltelliRow::Block::B, -1, sample, b});
  }
  return rows;
}

double morris_delta(std::size_t levels) {
  return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

namespace {

// One trajectory: a random start level per factor, then each factor in a
// random order moved by levels / 2 grid steps, up if it can go up, else down.
// With the start level uniform, half the moves go up and half down, as in
// Morris's own scheme.
std::vector<MorrisRow> morris_trajectory(std::int64_t trajectory, std::size_t factors, std::size_t levels,
                                         engine::Draws& draws) {
  const std::size_t jump = levels / 2;
  const double spacing = 1.0 / static_cast<double>(levels - 1), delta = morris_delta(levels);
  std::vector<std::size_t> level(factors), order(factors);
  for (std::size_t& l : level) l = draws.below(levels);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = factors; i > 1; --i) std::swap(order[i - 1], order[draws.below(i)]);  // Fisher-Yates
  const auto point = [&] {
    std::vector<double> x(factors);
    for (std::size_t f = 0; f < factors; ++f) x[f] = static_cast<double>(level[f]) * spacing;
    return x;
  };
  std::vector<MorrisRow> rows{{trajectory, -1, 0.0, point()}};
  for (const std::size_t f : order) {
    const bool up = level[f] + jump < levels;
    level[f] = up ? level[f] + jump : level[f] - jump;
    rows.push_back({trajectory, static_cast<int>(f), up ? delta : -delta, point()});
  }
  return rows;
}

}  // namespace

std::vector<MorrisRow> morris(std::size_t trajectories, std::size_t factors, std::size_t levels, std::uint64_t seed) {
  assert(levels >= 2 && levels % 2 == 0);
  const engine::Stream stream(seed, "sweep.morris");
  std::vector<MorrisRow> rows;
  rows.reserve(trajectories * (factors + 1));
  for (std::size_t t = 0; t < trajectories; ++t) {
    engine::Draws draws = stream.draws(t, 0);
    for (MorrisRow& row : morris_trajectory(static_cast<std::int64_t>(t), factors, levels, draws))
      rows.push_back(std::move(row));
  }
  return rows;
}

std::string_view block_name(SaltelliRow::Block block) {
  switch (block) {
    case SaltelliRow::Block::A:
      return "A";
    case SaltelliRow::Block::B:
      return "B";
    case SaltelliRow::Block::AB:
      return "AB";
  }
  return "";
}

}  // namespace fraudsim::sweep
