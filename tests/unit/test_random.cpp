#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/random.hpp"

using fraudsim::engine::Draws;
using fraudsim::engine::PoissonTable;
using fraudsim::engine::Stream;

TEST_CASE("the same key and counter give the same numbers", "[random]") {
  const Stream a(42, "scam_attempts"), b(42, "scam_attempts");
  auto da = a.draws(7, 100);
  auto db = b.draws(7, 100);
  for (int k = 0; k < 50; ++k) REQUIRE(da.bits() == db.bits());
}

TEST_CASE("a subject's first block is the first four numbers of its draws, as uniform() and below() read them", "[random]") {
  const Stream traits(3, "resident_traits");
  for (const std::uint64_t subject : {0ull, 1ull, 123456789ull}) {
    const auto block = traits.first_block(subject, 0);
    auto draws = traits.draws(subject, 0);
    auto again = traits.draws(subject, 0);
    for (const std::uint64_t number : block) CHECK(number == draws.bits());
    CHECK(fraudsim::engine::Draws::uniform_of(block[0]) == again.uniform());
    CHECK(fraudsim::engine::Draws::below_of(block[1], 256) == again.below(256));
  }
  CHECK(traits.first_block(5, 0) != traits.first_block(5, 1));
}

TEST_CASE("numbers do not depend on the order subjects are drawn in", "[random]") {
  const Stream stream(1, "decision");
  auto first = stream.draws(3, 9);
  const double x = first.uniform();
  auto other = stream.draws(4, 9);
  (void)other.uniform();
  auto again = stream.draws(3, 9);
  REQUIRE(again.uniform() == x);
}

TEST_CASE("different seeds, decisions, subjects or days give unrelated numbers", "[random]") {
  const int n = 20000;
  auto correlation = [&](Stream s1, std::uint64_t subject1, std::int64_t day1, Stream s2, std::uint64_t subject2,
                         std::int64_t day2) {
    auto d1 = s1.draws(subject1, day1);
    auto d2 = s2.draws(subject2, day2);
    double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
    for (int k = 0; k < n; ++k) {
      const double x = d1.uniform(), y = d2.uniform();
      sx += x, sy += y, sxy += x * y, sxx += x * x, syy += y * y;
    }
    const double cov = sxy / n - sx / n * sy / n;
    return cov / std::sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
  };
  // With 20,000 pairs, |r| > 0.03 has a probability below 1e-5 if independent.
  CHECK(std::fabs(correlation(Stream(1, "a"), 0, 0, Stream(2, "a"), 0, 0)) < 0.03);
  CHECK(std::fabs(correlation(Stream(1, "a"), 0, 0, Stream(1, "b"), 0, 0)) < 0.03);
  CHECK(std::fabs(correlation(Stream(1, "a"), 0, 0, Stream(1, "a"), 1, 0)) < 0.03);
  CHECK(std::fabs(correlation(Stream(1, "a"), 0, 0, Stream(1, "a"), 0, 1)) < 0.03);
  // And the same stream is perfectly correlated with itself: the check can fail.
  CHECK(correlation(Stream(1, "a"), 0, 0, Stream(1, "a"), 0, 0) > 0.999);
}

namespace {
template <class Draw>
std::pair<double, double> mean_and_variance(Draw draw, int n) {
  double sum = 0, sum_sq = 0;
  for (int k = 0; k < n; ++k) {
    const double x = draw(k);
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  return {mean, sum_sq / n - mean * mean};
}
}  // namespace

TEST_CASE("a Poisson table draws what Draws::poisson draws from the same numbers", "[random]") {
  const Stream stream(11, "table");
  for (const double mean : {0.0, 1e-3, 0.05, 0.7, 3.0, 9.99, 25.0}) {
    const PoissonTable table(mean);
    int differ = 0;
    std::int64_t largest = 0;
    for (int k = 0; k < 200000; ++k) {
      Draws a = stream.draws(k, 0), b = stream.draws(k, 0);
      const std::int64_t x = table.draw(a);
      differ += x != b.poisson(mean) || a.bits() != b.bits();  // the same value, and the same numbers used
      largest = std::max(largest, x);
    }
    CHECK(differ == 0);
    if (mean >= 0.7) CHECK(largest > mean);
  }
}

TEST_CASE("distributions have the right mean and variance", "[random]") {
  const Stream stream(2024, "distributions");
  const int n = 100000;
  SECTION("uniform") {
    const auto [m, v] = mean_and_variance([&](int k) { return stream.draws(k, 0).uniform(); }, n);
    CHECK(m == Approx(0.5).margin(0.005));
    CHECK(v == Approx(1.0 / 12).margin(0.002));
  }
  SECTION("normal") {
    const auto [m, v] = mean_and_variance([&](int k) { return stream.draws(k, 1).normal(); }, n);
    CHECK(m == Approx(0.0).margin(0.015));
    CHECK(v == Approx(1.0).margin(0.02));
  }
  for (const double mean : {0.3, 4.0, 25.0, 1000.0}) {
    SECTION("poisson " + std::to_string(mean)) {
      const auto [m, v] = mean_and_variance([&](int k) { return double(stream.draws(k, 2).poisson(mean)); }, n);
      CHECK(m == Approx(mean).epsilon(0.02).margin(0.01));
      CHECK(v == Approx(mean).epsilon(0.04).margin(0.01));
    }
  }
  for (const auto& [trials, p] : std::vector<std::pair<std::int64_t, double>>{{10, 0.3}, {200, 0.01}, {1000, 0.4}, {100000, 0.9}}) {
    SECTION("binomial " + std::to_string(trials) + " " + std::to_string(p)) {
      const auto [m, v] = mean_and_variance([&](int k) { return double(stream.draws(k, 3).binomial(trials, p)); }, n);
      CHECK(m == Approx(trials * p).epsilon(0.02));
      CHECK(v == Approx(trials * p * (1 - p)).epsilon(0.04));
    }
  }
  // Means below 10 have their own sampler (Draws::binomial): every count's
  // frequency against its probability (chi-square, the counts whose
  // expected frequency is under 5 pooled, at the 0.1 % level).
  for (const auto& [trials, p] : std::vector<std::pair<std::int64_t, double>>{{3, 0.5}, {10, 0.3}, {50, 0.19}, {1000000, 0.000005}}) {
    SECTION("binomial of small mean, every count " + std::to_string(trials) + " " + std::to_string(p)) {
      constexpr int draws = 200000;
      std::vector<double> seen(static_cast<std::size_t>(std::min<std::int64_t>(trials, 60)) + 1, 0.0);
      for (int k = 0; k < draws; ++k) {
        const std::int64_t x = stream.draws(k, 7).binomial(trials, p);
        REQUIRE(x >= 0);
        REQUIRE(x <= trials);
        seen[static_cast<std::size_t>(std::min<std::int64_t>(x, static_cast<std::int64_t>(seen.size()) - 1))] += 1;
      }
      const auto probability = [&](std::int64_t x) {
        const double nn = static_cast<double>(trials), xx = static_cast<double>(x);
        return std::exp(std::lgamma(nn + 1) - std::lgamma(xx + 1) - std::lgamma(nn - xx + 1) + xx * std::log(p) +
                        (nn - xx) * std::log1p(-p));
      };
      double chi2 = 0, pooled_seen = 0, pooled_expected = draws;
      int bins = 0;
      for (std::size_t x = 0; x + 1 < seen.size(); ++x) {
        const double expected = draws * probability(static_cast<std::int64_t>(x));
        if (expected < 5) break;
        chi2 += (seen[x] - expected) * (seen[x] - expected) / expected;
        pooled_expected -= expected;
        ++bins;
      }
      for (std::size_t x = static_cast<std::size_t>(bins); x < seen.size(); ++x) pooled_seen += seen[x];
      if (pooled_expected > 1e-9) {
        chi2 += (pooled_seen - pooled_expected) * (pooled_seen - pooled_expected) / pooled_expected;
        ++bins;
      }
      const double df = bins - 1, z = 3.09;  // Wilson-Hilferty: the chi-square's 99.9th percentile
      const double critical = df * std::pow(1 - 2 / (9 * df) + z * std::sqrt(2 / (9 * df)), 3);
      INFO("chi-square " << chi2 << " on " << df << " degrees of freedom, critical " << critical);
      CHECK(chi2 < critical);
    }
  }
  for (const double p : {1.0, 0.5, 0.05, 0.001}) {
    SECTION("failures before a success " + std::to_string(p)) {
      const auto [m, v] = mean_and_variance([&](int k) { return stream.draws(k, 5).failures(p); }, n);
      CHECK(m == Approx((1 - p) / p).epsilon(0.02).margin(0.001));
      CHECK(v == Approx((1 - p) / (p * p)).epsilon(0.05).margin(0.001));
    }
  }
  SECTION("below stays in range and covers it") {
    std::vector<int> seen(7, 0);
    for (int k = 0; k < 7000; ++k) {
      const auto x = stream.draws(k, 4).below(7);
      REQUIRE(x < 7);
      ++seen[x];
    }
    for (const int count : seen) CHECK(count > 800);
  }
}
