#pragma once
// The residents at the start date and the pools drawn from later (job
// seekers, border residents, card sellers), before any module acts.
#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/random.hpp"
#include "model/context.hpp"

namespace fraudsim::model {

// Regions, then each resident's traits from their own draws, and the pools
// offers, approaches and helpers are drawn from, in id order (job seekers,
// border residents, card sellers).
void populate_residents(const Context& ctx);

// The traits a resident is born with and keeps (age band, susceptibility
// class), computed from the first numbers of their own draws whenever they
// are read instead of being stored: two bytes per resident less, and the
// same values the set-up drew for them (docs/performance.md, change 8).
class BornTraits {
 public:
  explicit BornTraits(const Context& ctx);
  std::uint8_t age_band(ResidentId r) const { return age_band_of(numbers(r)[0]); }
  // Class k stands for the quantile (k + 0.5) / 256 of individual
  // susceptibility, a lognormal with median 1 (ContactsModule).
  std::uint8_t susceptibility_class(ResidentId r) const { return susceptibility_class_of(numbers(r)[2]); }

  // The first four numbers of a resident's draws: age band, job seeking,
  // susceptibility class, card selling, in the order they were always drawn.
  std::array<std::uint64_t, 4> numbers(ResidentId r) const { return stream_.first_block(r, 0); }
  // The first band whose cumulative share is above u: the count of those at
  // or below it, since the shares (each at least 0) only add up. Counted
  // without a branch, which a random band would mispredict at every
  // resident (docs/performance.md, change 11).
  std::uint8_t age_band_of(std::uint64_t number) const {
    const double u = engine::Draws::uniform_of(number);
    std::uint8_t band = 0;
    for (const double below : below_band_) band = static_cast<std::uint8_t>(band + (u >= below));
    return band;
  }
  static std::uint8_t susceptibility_class_of(std::uint64_t number) {
    return static_cast<std::uint8_t>(engine::Draws::below_of(number, 256));
  }

 private:
  engine::Stream stream_;
  std::vector<double> below_band_;  // the age shares summed up to each band but the last
};
// Everything populate_residents reads: the seed and these
// parameters. Two simulations with equal keys set up the same residents
// and pools, bit for bit, whatever else differs between them.
struct PopulationKey {
  std::uint64_t seed = 0;
  std::int64_t residents = 0;
  std::vector<double> values;  // regions, age bands and card selling, in a fixed order
  bool operator==(const PopulationKey&) const = default;
};
PopulationKey population_key(const Context& ctx);

// The residents and pools as the set-up leaves them, kept for simulations
// with the same key: the simulations of a calibration or a sweep share
// their replicate seeds, and most differ only in parameters read later (an
// intervention, a probability), so each would set up the same residents
// again (docs/performance.md, change 17). Setting up from a kept copy
// copies the state byte and the pools and clears the other columns; the
// result is the same, bit for bit, as setting up afresh. Safe to share
// between threads. Keeps the `capacity` keys used last, in at most
// `budget_bytes` (a copy is about 1.3 bytes a resident: with the default,
// every replicate of a sweep at 1:100, a few at 1:10, none of the whole
// population, whose copy alone would exceed it).
class PopulationCache {
 public:
  static constexpr std::size_t default_budget_bytes = std::size_t{1} << 30;
  explicit PopulationCache(std::size_t capacity, std::size_t budget_bytes = default_budget_bytes)
      : capacity_(capacity), budget_bytes_(budget_bytes) {}
  // Sets up ctx's residents and pools: from a kept copy if one has ctx's
  // key, else afresh (and keeps a copy).
  void populate(const Context& ctx);
  std::int64_t hits() const;
  std::int64_t misses() const;

 private:
  struct Kept;
  // The kept copy with this key, or the end (mutex_ held).
  std::vector<std::shared_ptr<const Kept>>::iterator find(const PopulationKey& key);
  mutable std::mutex mutex_;
  std::size_t capacity_, budget_bytes_, kept_bytes_ = 0;
  std::vector<std::shared_ptr<const Kept>> kept_;  // the one used last at the back
  std::int64_t hits_ = 0, misses_ = 0;
};

// Someone at home: from `pool` if a few tries find one there, else anyone.
// `pool`: a list of ids, or IdBlocks.
template <class Pool = std::vector<ResidentId>>
ResidentId someone_at_home(const Residents& res, const Pool& pool, engine::Draws& draws) {
  for (int tries = 0; tries < 64 && !pool.empty(); ++tries) {
    const ResidentId r = pool[draws.below(pool.size())];
    if (res.at_home(r)) return r;
  }
  ResidentId r;
  do r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(res.size())));
  while (!res.at_home(r));
  return r;
}

}  // namespace fraudsim::model
