// The helpers behind a small, parallel set-up of the population: columns left
// uninitialised, the pools listed in parallel in id order, residents' packed state.
#include <catch2/catch.hpp>

#include "engine/columns.hpp"
#include "engine/parallel.hpp"
#include "engine/random.hpp"
#include "input/input_error.hpp"
#include "test_helpers.hpp"

using namespace fraudsim;

TEST_CASE("the set-up's pools list every job seeker and card seller in id order, whatever the thread count",
          "[engine][parallel]") {
  auto pools = [](int threads) {
    engine::ThreadLimit limit(threads);
    const model::Simulation simulation = run::simulation_of(testing::reference_scenario(), 7);
    const model::World& w = simulation.world();
    std::vector<std::uint32_t> seekers, sellers;
    for (std::int64_t i = 0; i < w.residents.size(); ++i) {
      if (w.residents.job_seeker(static_cast<model::ResidentId>(i))) seekers.push_back(static_cast<std::uint32_t>(i));
      if (w.residents.card_seller(static_cast<model::ResidentId>(i))) sellers.push_back(static_cast<std::uint32_t>(i));
    }
    CHECK(std::vector<std::uint32_t>(w.job_seekers.begin(), w.job_seekers.end()) == seekers);
    CHECK(std::vector<std::uint32_t>(w.card_sellers.begin(), w.card_sellers.end()) == sellers);
    CHECK(w.residents.size() > std::int64_t{1} << 16);  // several blocks of the set-up, the last one partial
    CHECK(!seekers.empty());
    CHECK(!sellers.empty());
    return std::make_pair(seekers, sellers);
  };
  CHECK(pools(1) == pools(2));
}

TEST_CASE("parallel_gather returns what each index emits, in index order", "[engine][parallel]") {
  auto body = [](std::int64_t i, auto emit) {
    if (i % 1000 == 7) emit(i * 10);
    if (i % 5000 == 7) emit(i * 10 + 1);
  };
  std::vector<std::int64_t> expected;
  for (std::int64_t i = 0; i < 100'000; ++i) body(i, [&](std::int64_t x) { expected.push_back(x); });
  for (const int threads : {1, 2}) {
    engine::ThreadLimit limit(threads);
    CHECK(engine::parallel_gather<std::int64_t>(100'000, body, 16) == expected);
  }
}

TEST_CASE("a column keeps the values it is given", "[engine]") {
  engine::Column<std::uint16_t> column(3);
  column[0] = 1;
  column[1] = 65535;
  column[2] = 7;
  column.push_back(9);
  column.resize(6, 4);
  CHECK(column == engine::Column<std::uint16_t>{1, 65535, 7, 9, 4, 4});
}

TEST_CASE("a large column lies on whole huge pages and keeps its values through growth", "[engine][memory]") {
  constexpr std::size_t huge_page = engine::HugePageAllocator<std::uint8_t>::huge_page;
  engine::Column<std::uint16_t> small(1000, 3);
  CHECK(small.back() == 3);
  engine::Column<std::uint16_t> large;
  for (std::uint32_t i = 0; i < 5'000'000; ++i) large.push_back(static_cast<std::uint16_t>(i * 7));
  CHECK(reinterpret_cast<std::uintptr_t>(large.data()) % huge_page == 0);
  bool intact = true;
  for (std::uint32_t i = 0; i < large.size(); ++i) intact = intact && large[i] == static_cast<std::uint16_t>(i * 7);
  CHECK(intact);
  large.resize(10);
  large.shrink_to_fit();  // back to the ordinary allocator
  CHECK(large.back() == static_cast<std::uint16_t>(9 * 7));
}

TEST_CASE("a resident's status and traits share one byte without disturbing each other", "[model][memory]") {
  model::Residents res;
  res.state.assign(2, model::Residents::job_seeker_bit | model::Residents::card_seller_bit);
  res.away_blocks.assign(1, 0);  // both at home
  res.set_status(0, model::Status::detained);
  res.set_convicted(0);
  res.set_status(0, model::Status::home);
  CHECK(res.at_home(0));
  CHECK(res.job_seeker(0));
  CHECK(res.card_seller(0));
  CHECK(res.convicted(0));
  res.set_status(1, model::Status::abroad);
  CHECK(res.status(1) == model::Status::abroad);
  CHECK(!res.convicted(1));
  CHECK(res.job_seeker(1));
}

TEST_CASE("who is away is known from the blocks without reading a state byte, the same as from the state", "[model][memory]") {
  // Residents go away and come back at random; whether each is at home must
  // agree with their status, and a block's bit must be set exactly while
  // someone of it is away.
  model::Residents res;
  constexpr std::int64_t block = std::int64_t{1} << model::Residents::away_block_shift;
  const std::int64_t n = block * 150 + block / 2 + 1;  // the last block is partial
  res.resize(n);
  res.state.assign(static_cast<std::size_t>(n), 0);
  engine::Draws draws = engine::Stream(7, "test").draws(0, 0);
  for (int step = 0; step < 20000; ++step) {
    const auto r = static_cast<model::ResidentId>(draws.below(static_cast<std::uint64_t>(n / (1 + step % 3))));
    // Away one time in twenty: blocks of both kinds, with someone away and without.
    const auto status = draws.below(20) == 0 ? static_cast<model::Status>(1 + draws.below(2)) : model::Status::home;
    res.set_status(r, status);
  }
  int away = 0, wrong = 0, wrong_blocks = 0, blocks_away = 0;
  for (std::int64_t r = 0; r < n; ++r) {
    const bool home = res.status(static_cast<model::ResidentId>(r)) == model::Status::home;
    away += !home;
    wrong += res.at_home(static_cast<model::ResidentId>(r)) != home;
  }
  for (std::int64_t b = 0; b * block < n; ++b) {
    bool anyone = false;
    for (std::int64_t r = b * block; r < std::min(n, b * block + block); ++r)
      anyone = anyone || res.status(static_cast<model::ResidentId>(r)) != model::Status::home;
    wrong_blocks += anyone != (((res.away_blocks[static_cast<std::size_t>(b >> 6)] >> (b & 63)) & 1) == 1);
    blocks_away += anyone;
  }
  CHECK(blocks_away > 10);
  CHECK(blocks_away < 140);
  CHECK(wrong == 0);
  CHECK(wrong_blocks == 0);
}

TEST_CASE("regions are found from a resident's id", "[model][memory]") {
  model::Simulation simulation = run::simulation_of(testing::reference_scenario(), 3);
  const model::World& world = simulation.world();
  const model::Residents& res = world.residents;
  const auto& regions = simulation.parameters().regions;
  REQUIRE(res.region_end.size() == regions.size());
  CHECK(res.region(0) == 0);
  CHECK(res.region(static_cast<model::ResidentId>(res.size() - 1)) == regions.size() - 1);
  std::size_t seekers = 0;
  for (std::uint8_t k = 0; k < regions.size(); ++k) {
    for (const model::ResidentId r : world.job_seekers_in(k)) {
      CHECK(res.region(r) == k);
      CHECK(res.job_seeker(r));
    }
    seekers += world.job_seekers_in(k).size();
  }
  CHECK(seekers == world.job_seekers.size());
}

TEST_CASE("border residents kept as blocks of ids read as the list of their ids", "[model][memory]") {
  model::IdBlocks blocks;
  blocks.add(5, 8);
  blocks.add(8, 8);  // empty: ignored
  blocks.add(20, 22);
  REQUIRE(blocks.size() == 5);
  const std::vector<model::ResidentId> expected = {5, 6, 7, 20, 21};
  for (std::size_t k = 0; k < expected.size(); ++k) CHECK(blocks[k] == expected[k]);
  CHECK(model::IdBlocks{}.empty());

  model::Simulation simulation = run::simulation_of(testing::reference_scenario(), 3);
  const model::World& world = simulation.world();
  const auto& regions = simulation.parameters().regions;
  std::vector<model::ResidentId> border;
  for (std::int64_t i = 0; i < world.residents.size(); ++i)
    if (regions[world.residents.region(static_cast<model::ResidentId>(i))].border) border.push_back(static_cast<model::ResidentId>(i));
  REQUIRE(!border.empty());
  REQUIRE(world.border_residents.size() == border.size());
  bool same = true;
  for (std::size_t k = 0; k < border.size(); ++k) same = same && world.border_residents[k] == border[k];
  CHECK(same);
}

TEST_CASE("a run longer than the 16-bit day of awareness is refused", "[scenario][memory]") {
  CHECK_THROWS_AS(testing::reference_scenario({{"end_date", "2199-01-01"}}), input::InputError);
  CHECK_NOTHROW(testing::reference_scenario({{"end_date", "2150-01-01"}}));
}
