#include "model/population.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "engine/parallel.hpp"

namespace fraudsim::model {

namespace {

// A resident's traits from the first four numbers of their draws, in the
// order they were always drawn: age band, job seeking, susceptibility class
// (BornTraits: not stored), card selling. Every parameter read here, by
// BornTraits and by populate_residents is in population_key.
void set_traits(const Parameters& s, const BornTraits& born, Residents& res, std::int64_t i,
                const std::array<std::uint64_t, 4>& numbers) {
  using engine::Draws;
  std::uint8_t region = 0;
  while (i >= res.region_end[region]) ++region;
  const std::uint8_t band = born.age_band_of(numbers[0]);
  const double seeking = s.regions[region].job_seeker_share * s.age_bands[band].job_seeking_factor;
  res.state[i] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(Status::home) |
                                           (Draws::uniform_of(numbers[1]) < seeking ? Residents::job_seeker_bit : 0) |
                                           (Draws::uniform_of(numbers[3]) < s.cards.seller_share ? Residents::card_seller_bit : 0));
  res.cards_sold[i] = 0;
  res.awareness[i] = 0.0f;
  res.awareness_day[i] = 0;
}

}  // namespace

BornTraits::BornTraits(const Context& ctx) : stream_(ctx.stream("resident_traits")) {
  // Summed in the order the set-up always summed them, so that a band is the
  // one it always was.
  double below = 0;
  for (std::size_t band = 0; band + 1 < ctx.params.age_bands.size(); ++band) {
    below += ctx.params.age_bands[band].population_share;
    below_band_.push_back(below);
  }
}

namespace {

// The lists of each block, one after the other, copied in parallel (the
// copy is the first write: a Column's elements start uninitialised).
engine::Column<ResidentId> joined(const std::vector<std::vector<ResidentId>>& lists) {
  std::vector<std::size_t> start(lists.size() + 1, 0);
  for (std::size_t b = 0; b < lists.size(); ++b) start[b + 1] = start[b] + lists[b].size();
  engine::Column<ResidentId> all(start.back());
  engine::parallel_for(
      static_cast<std::int64_t>(lists.size()),
      [&](std::int64_t b) {
        const auto& list = lists[static_cast<std::size_t>(b)];
        std::copy(list.begin(), list.end(), all.begin() + static_cast<std::ptrdiff_t>(start[static_cast<std::size_t>(b)]));
      },
      /*grain=*/16);
  return all;
}

}  // namespace

void populate_residents(const Context& ctx) {
  const Parameters& s = ctx.params;
  const std::int64_t n = s.num_residents();
  World& world = ctx.world;
  Residents& res = world.residents;
  // Left uninitialised here: the parallel loop below writes every element.
  res.resize(n);

  // Regions are contiguous blocks of ids (their order carries no meaning);
  // every other trait is drawn per resident.
  auto& region_end = res.region_end;
  double cumulative = 0;
  for (const Region& region : s.regions) {
    cumulative += region.population_share;
    region_end.push_back(std::min<std::int64_t>(n, std::llround(cumulative * static_cast<double>(n))));
  }
  region_end.back() = n;
  const BornTraits born(ctx);
  // Each resident's traits take the first four numbers of their own draws.
  // Residents are done in batches whose random blocks are computed first,
  // side by side: the blocks are independent, so the processor overlaps them.
  // Blocks of a fixed size list their job seekers and card sellers as they
  // go, and the lists are joined in block order: the pools are in id order,
  // the same whatever the threads, without a second pass over the residents.
  constexpr std::int64_t block = std::int64_t{1} << 16, batch = 8;
  const std::int64_t blocks = (n + block - 1) / block;
  std::vector<std::vector<ResidentId>> seekers(static_cast<std::size_t>(blocks)), sellers(static_cast<std::size_t>(blocks));
  engine::parallel_for(
      blocks,
      [&](std::int64_t b) {
        auto& block_seekers = seekers[static_cast<std::size_t>(b)];
        auto& block_sellers = sellers[static_cast<std::size_t>(b)];
        const std::int64_t block_end = std::min(n, (b + 1) * block);
        for (std::int64_t first = b * block; first < block_end; first += batch) {
          const std::int64_t end = std::min(block_end, first + batch);
          std::array<std::array<std::uint64_t, 4>, batch> numbers;
          for (std::int64_t i = first; i < end; ++i) numbers[i - first] = born.numbers(static_cast<ResidentId>(i));
          // A batch's ids are listed without a branch per resident (a
          // random trait would mispredict), then added together.
          std::array<ResidentId, batch> batch_seekers, batch_sellers;
          std::size_t num_seekers = 0, num_sellers = 0;
          for (std::int64_t i = first; i < end; ++i) {
            set_traits(s, born, res, i, numbers[i - first]);
            const auto r = static_cast<ResidentId>(i);
            batch_seekers[num_seekers] = r;
            num_seekers += res.job_seeker(r);
            batch_sellers[num_sellers] = r;
            num_sellers += res.card_seller(r);
          }
          block_seekers.insert(block_seekers.end(), batch_seekers.begin(), batch_seekers.begin() + static_cast<std::ptrdiff_t>(num_seekers));
          block_sellers.insert(block_sellers.end(), batch_sellers.begin(), batch_sellers.begin() + static_cast<std::ptrdiff_t>(num_sellers));
        }
      },
      /*grain=*/1);
  world.job_seekers = joined(seekers);
  world.card_sellers = joined(sellers);

  world.job_seekers_region_start = {0};
  for (const std::int64_t region_last : res.region_end)
    world.job_seekers_region_start.push_back(static_cast<std::size_t>(
        std::lower_bound(world.job_seekers.begin(), world.job_seekers.end(), region_last) - world.job_seekers.begin()));
  world.border_residents = IdBlocks{};
  for (std::size_t k = 0; k < s.regions.size(); ++k)
    if (s.regions[k].border)
      world.border_residents.add(static_cast<ResidentId>(k == 0 ? 0 : res.region_end[k - 1]),
                                 static_cast<ResidentId>(res.region_end[k]));
}

PopulationKey population_key(const Context& ctx) {
  const Parameters& s = ctx.params;
  PopulationKey key{.seed = ctx.seed, .residents = s.num_residents(), .values = {}};
  key.values.insert(key.values.end(), {static_cast<double>(s.regions.size()), static_cast<double>(s.age_bands.size())});
  for (const Region& region : s.regions)
    key.values.insert(key.values.end(), {region.population_share, region.job_seeker_share, region.border ? 1.0 : 0.0});
  for (const AgeBand& band : s.age_bands) key.values.insert(key.values.end(), {band.population_share, band.job_seeking_factor});
  key.values.push_back(s.cards.seller_share);
  return key;
}

namespace {

// What a kept copy of w's residents and pools takes.
std::size_t bytes_to_keep(const World& w) {
  return w.residents.state.size() + (w.job_seekers.size() + w.card_sellers.size()) * sizeof(ResidentId) +
         w.residents.region_end.size() * sizeof(std::int64_t) + w.job_seekers_region_start.size() * sizeof(std::size_t);
}

}  // namespace

struct PopulationCache::Kept {
  std::size_t bytes;
  PopulationKey key;
  std::vector<std::int64_t> region_end;
  std::vector<std::uint8_t> state;
  engine::Column<ResidentId> job_seekers;
  std::vector<std::size_t> job_seekers_region_start;
  IdBlocks border_residents;
  engine::Column<ResidentId> card_sellers;
};

void PopulationCache::populate(const Context& ctx) {
  PopulationKey key = population_key(ctx);
  std::shared_ptr<const Kept> found;
  {
    const std::lock_guard lock(mutex_);
    const auto it = find(key);
    if (it != kept_.end()) {
      found = *it;
      std::rotate(it, it + 1, kept_.end());
      ++hits_;
    } else {
      ++misses_;
    }
  }
  World& w = ctx.world;
  Residents& res = w.residents;
  if (!found) {
    populate_residents(ctx);
    const std::size_t bytes = bytes_to_keep(w);
    if (capacity_ == 0 || bytes > budget_bytes_) return;  // too large to keep: no copy made
    auto copy = std::make_shared<Kept>(Kept{.bytes = bytes,
                                            .key = std::move(key),
                                            .region_end = res.region_end,
                                            .state = std::vector<std::uint8_t>(res.state.begin(), res.state.end()),
                                            .job_seekers = w.job_seekers,
                                            .job_seekers_region_start = w.job_seekers_region_start,
                                            .border_residents = w.border_residents,
                                            .card_sellers = w.card_sellers});
    const std::lock_guard lock(mutex_);
    // Another thread may have kept the same residents meanwhile.
    if (find(copy->key) == kept_.end()) {
      kept_bytes_ += copy->bytes;
      kept_.push_back(std::move(copy));
      while (kept_.size() > capacity_ || kept_bytes_ > budget_bytes_) {
        kept_bytes_ -= kept_.front()->bytes;
        kept_.erase(kept_.begin());
      }
    }
    return;
  }
  // As populate_residents leaves them: the state byte as drawn, the rest
  // zero, each block written by the thread that takes it first.
  const std::int64_t n = key.residents;
  res.resize(n);
  res.region_end = found->region_end;
  constexpr std::int64_t block = std::int64_t{1} << 16;
  engine::parallel_for(
      (n + block - 1) / block,
      [&](std::int64_t b) {
        const std::int64_t first = b * block;
        const auto count = static_cast<std::size_t>(std::min(n, first + block) - first);
        std::memcpy(&res.state[first], &found->state[first], count);
        std::memset(&res.cards_sold[first], 0, count * sizeof(res.cards_sold[0]));
        std::memset(&res.awareness[first], 0, count * sizeof(res.awareness[0]));  // 0.0f
        std::memset(&res.awareness_day[first], 0, count * sizeof(res.awareness_day[0]));
      },
      /*grain=*/1);
  w.job_seekers = found->job_seekers;
  w.job_seekers_region_start = found->job_seekers_region_start;
  w.border_residents = found->border_residents;
  w.card_sellers = found->card_sellers;
}

std::vector<std::shared_ptr<const PopulationCache::Kept>>::iterator PopulationCache::find(const PopulationKey& key) {
  return std::find_if(kept_.begin(), kept_.end(), [&](const auto& k) { return k->key == key; });
}

std::int64_t PopulationCache::hits() const {
  const std::lock_guard lock(mutex_);
  return hits_;
}

std::int64_t PopulationCache::misses() const {
  const std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace fraudsim::model
