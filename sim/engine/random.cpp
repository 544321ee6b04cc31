#include "engine/random.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "engine/det_math.hpp"

namespace fraudsim::engine {

double Draws::normal() {
  // Box-Muller, one variate per call: no cached state, so a draw's value does
  // not depend on whether an earlier call used an odd or even count.
  const double u1 = 1.0 - uniform();  // (0, 1]
  const double u2 = uniform();
  return det::sqrt(-2.0 * det::log(u1)) * det::cos(2.0 * 3.141592653589793 * u2);
}

double Draws::lognormal(double log_median, double sigma) { return det::exp(log_median + sigma * normal()); }

double Draws::failures(double p) {
  assert(p > 0.0 && p <= 1.0);
  const double u = uniform();
  if (p >= 1.0) return 0.0;
  return std::floor(det::log(1.0 - u) / det::log1p(-p));
}

std::int64_t Draws::poisson(double mean) {
  assert(mean >= 0.0);
  if (mean <= 0.0) return 0;
  if (mean < 10.0) {
    // Inversion by sequential search: cheap for small means.
    const double u = uniform();
    double p = det::exp(-mean), cumulative = p;
    std::int64_t k = 0;
    while (u > cumulative && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cumulative += p;
    }
    return k;
  }
  // PTRS, transformed rejection with squeeze: Hormann (1993), "The transformed
  // rejection method for generating Poisson random variables", Insurance:
  // Mathematics and Economics 12, 39-45.
  // Most draws end at the squeeze; what only the full test needs is
  // computed the first time it is needed (the same values, so the same draws).
  const double slam = det::sqrt(mean);
  const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  double loglam = 0, log_inv_alpha = 0;
  bool full_test_ready = false;
  for (;;) {
    const double u = uniform() - 0.5, v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (!full_test_ready) {
      loglam = det::log(mean);
      log_inv_alpha = det::log(1.1239 + 1.1328 / (b - 3.4));
      full_test_ready = true;
    }
    if (det::log(v) + log_inv_alpha - det::log(a / (us * us) + b) <= -mean + k * loglam - det::lgamma(k + 1.0))
      return static_cast<std::int64_t>(k);
  }
}

PoissonTable::PoissonTable(double mean) : mean_(mean) {
  if (!(mean > 0.0) || mean >= 10.0) return;  // drawn by Draws::poisson itself
  // The sums of Draws::poisson's search, in its order; once a term no longer
  // changes the sum it never will again (the terms only shrink past the
  // mean), and a number above it walks on to the search's end, k = 1000.
  double p = det::exp(-mean), cumulative = p;
  cumulative_.push_back(cumulative);
  for (std::int64_t k = 1; k <= 1000; ++k) {
    p *= mean / static_cast<double>(k);
    const double next = cumulative + p;
    if (next == cumulative && static_cast<double>(k) > mean) break;
    cumulative = next;
    cumulative_.push_back(cumulative);
  }
  last_ = 1000;
}

std::int64_t Draws::binomial(std::int64_t trials, double p) {
  assert(trials >= 0 && p >= 0.0 && p <= 1.0);
  if (trials <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return trials;
  if (p > 0.5) return trials - binomial(trials, 1.0 - p);
  const double n = static_cast<double>(trials);
  if (n * p < 10.0) {
    // Inversion: waiting times between successes (geometric skips).
    const double log_q = det::log1p(-p);
    std::int64_t successes = 0;
    double position = 0.0;
    for (;;) {
      position += std::floor(det::log(1.0 - uniform()) / log_q) + 1.0;
      if (position > n) return successes;
      ++successes;
    }
  }
  // BTRS, transformed rejection: Hormann (1993), "The generation of binomial
  // random variates", J. Statist. Comput. Simul. 46, 101-110.
  // Most draws end at the squeeze; what only the full test needs (two
  // log-gammas) is computed the first time it is needed (the same values, so
  // the same draws).
  const double q = 1.0 - p, spq = det::sqrt(n * p * q);
  const double b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = n * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * spq, v_r = 0.92 - 4.2 / b;
  double lpq = 0, m = 0, h = 0;
  bool full_test_ready = false;
  for (;;) {
    const double u = uniform() - 0.5, v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + c);
    if (k < 0.0 || k > n) continue;
    if (us >= 0.07 && v <= v_r) return static_cast<std::int64_t>(k);
    if (!full_test_ready) {
      lpq = det::log(p / q);
      m = std::floor((n + 1.0) * p);
      h = det::lgamma(m + 1.0) + det::lgamma(n - m + 1.0);
      full_test_ready = true;
    }
    const double lv = det::log(v * alpha / (a / (us * us) + b));
    if (lv <= h - det::lgamma(k + 1.0) - det::lgamma(n - k + 1.0) + (k - m) * lpq) return static_cast<std::int64_t>(k);
  }
}

}  // namespace fraudsim::engine
