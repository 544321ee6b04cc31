// Micro-benchmarks of the random streams: every decision of the model goes
// through these, keyed by (seed, decision) and counted by (subject, day).
#include <benchmark/benchmark.h>

#include <cstdint>

#include "engine/random.hpp"

using fraudsim::engine::Draws;
using fraudsim::engine::Stream;

namespace {

const Stream stream(20190101, "micro_benchmark");

// A new (subject, day) sequence and its first number: what a per-agent
// decision costs before it does anything (one Philox4x64-10 block).
void BM_new_sequence(benchmark::State& state) {
  std::uint64_t subject = 0, sum = 0;
  for (auto _ : state) {
    auto draws = stream.draws(subject++, 17);
    sum += draws.bits();
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_new_sequence);

// Numbers drawn from one long sequence: four per Philox block.
void BM_bits(benchmark::State& state) {
  auto draws = stream.draws(1, 17);
  std::uint64_t sum = 0;
  for (auto _ : state) sum += draws.bits();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_bits);

void BM_uniform(benchmark::State& state) {
  auto draws = stream.draws(1, 17);
  double sum = 0;
  for (auto _ : state) sum += draws.uniform();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_uniform);

void BM_below(benchmark::State& state) {
  auto draws = stream.draws(1, 17);
  std::uint64_t sum = 0;
  for (auto _ : state) sum += draws.below(14'126'000);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_below);

void BM_normal(benchmark::State& state) {
  auto draws = stream.draws(1, 17);
  double sum = 0;
  for (auto _ : state) sum += draws.normal();
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_normal);

// Poisson counts by inversion (mean below 10) and by PTRS (above); the
// argument is the mean in hundredths.
void BM_poisson(benchmark::State& state) {
  auto draws = stream.draws(1, 17);
  const double mean = static_cast<double>(state.range(0)) / 100.0;
  std::int64_t sum = 0;
  for (auto _ : state) sum += draws.poisson(mean);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_poisson)->Arg(3)->Arg(300)->Arg(5'000)->Arg(100'000'000);

// Binomial counts by geometric skips (n p below 10) and by BTRS (above);
// arguments: trials, then p in millionths.
void BM_binomial(benchmark::State& state) {
  auto draws = stream.draws(1, 17);
  const std::int64_t trials = state.range(0);
  const double p = static_cast<double>(state.range(1)) / 1e6;
  std::int64_t sum = 0;
  for (auto _ : state) sum += draws.binomial(trials, p);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_binomial)->Args({100, 20'000})->Args({1'000'000, 5})->Args({1'000'000, 300'000})->Args({100'000'000, 900'000});

}  // namespace

BENCHMARK_MAIN();
