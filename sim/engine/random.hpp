#pragma once
// Counter-based random numbers (Random123 Philox4x64-10).
//
// A Stream is keyed by (run seed, name of a decision); a Draws sequence is
// counted by (subject, day): the subject is whatever makes the decision (a
// resident id, a compound, an offer number). The numbers a decision gets
// depend only on those four things, never on the thread that asks, the order
// of loops, or what other decisions drew before: results are identical for
// any thread count, and a decision added later leaves every other stream
// untouched (common random numbers).
#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fraudsim::engine {

constexpr std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash;
}

class Draws {
 public:
  using Engine = r123::Philox4x64;

  Draws() : key_{}, counter_{} {}  // a placeholder, to be assigned from Stream::draws
  Draws(const Engine::key_type& key, std::uint64_t subject, std::uint64_t day) : key_(key) {
    counter_ = {{subject, day, 0, 0}};
  }

  std::uint64_t bits() {
    if (next_ == 4) refill();
    return block_[next_++];
  }
  // Uniform on [0, 1) with 53 random bits.
  double uniform() { return uniform_of(bits()); }
  bool bernoulli(double p) { return uniform() < p; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the bias is at
  // most n / 2^64, far below anything a run can detect).
  std::uint64_t below(std::uint64_t n) { return below_of(bits(), n); }
  // What uniform() and below() make of a number, for code that has the
  // numbers already (Stream::first_block).
  static double uniform_of(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }
  static std::uint64_t below_of(std::uint64_t bits, std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(bits) * n) >> 64);
  }
  double normal();                                      // standard normal
  double lognormal(double log_median, double sigma) ;   // exp(log_median + sigma * normal())
  // Failures before the first success in trials that each succeed with
  // probability p, 0 < p <= 1 (geometric, by inversion: one number); a
  // double, as it can exceed any count when p is tiny.
  double failures(double p);
  std::int64_t poisson(double mean);
  std::int64_t binomial(std::int64_t trials, double p);

 private:
  void refill() {
    block_ = Engine{}(counter_, key_);
    ++counter_[2];
    next_ = 0;
  }
  Engine::key_type key_;
  Engine::ctr_type counter_;
  Engine::ctr_type block_{};
  unsigned next_ = 4;
};

// A Poisson distribution drawn many times with the same mean: for means
// below 10 the cumulative probabilities Draws::poisson walks through are
// computed once, in the same order, so a draw gives the number
// Draws::poisson(mean) gives from the same draws, without its exponential.
class PoissonTable {
 public:
  explicit PoissonTable(double mean);
  std::int64_t draw(Draws& draws) const {
    if (cumulative_.empty()) return draws.poisson(mean_);
    const double u = draws.uniform();
    for (std::size_t k = 0; k < cumulative_.size(); ++k)
      if (u <= cumulative_[k]) return static_cast<std::int64_t>(k);
    return last_;
  }

 private:
  double mean_;
  std::vector<double> cumulative_;  // until it stops growing
  std::int64_t last_ = 0;           // what the search returns past them
};

class Stream {
 public:
  Stream(std::uint64_t run_seed, std::string_view decision) {
    key_ = {{run_seed, fnv1a64(decision)}};
  }
  Draws draws(std::uint64_t subject, std::int64_t day) const {
    return Draws(key_, subject, static_cast<std::uint64_t>(day));
  }
  // The first four numbers draws(subject, day) gives (bits() four times). A
  // loop that needs no more for each of many subjects can compute several
  // subjects' blocks side by side, which a processor overlaps, where one
  // Draws at a time waits for each block in turn.
  std::array<std::uint64_t, 4> first_block(std::uint64_t subject, std::int64_t day) const {
    const Draws::Engine::ctr_type counter = {{subject, static_cast<std::uint64_t>(day), 0, 0}};
    const Draws::Engine::ctr_type block = Draws::Engine{}(counter, key_);
    return {block[0], block[1], block[2], block[3]};
  }

 private:
  Draws::Engine::key_type key_;
};

}  // namespace fraudsim::engine
