// Micro-benchmark of the contact phase: the reference scenario is run to
// 1 July 2020 (near the peak of scam contacts), then that day's contact
// phase is repeated on the world as it stands. Arguments: scale (people per
// agent), worker threads.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "engine/calendar.hpp"
#include "engine/parallel.hpp"
#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "run/run.hpp"

#ifndef FRAUDSIM_SOURCE_DIR
#error "FRAUDSIM_SOURCE_DIR must name the source tree (bench/CMakeLists.txt sets it)"
#endif

using namespace fraudsim;

namespace {

model::Simulation& simulation_at(std::int64_t scale) {
  static std::map<std::int64_t, std::unique_ptr<model::Simulation>> made;
  auto& simulation = made[scale];
  if (!simulation) {
    auto scenario = scenario::load_scenario(std::string(FRAUDSIM_SOURCE_DIR) + "/scenarios/china_2019_2024.yaml",
                                         {{"scale", std::to_string(scale)}});
    simulation = std::make_unique<model::Simulation>(scenario, scenario.lever_setter(), 1);
    const engine::Date until = engine::Date::from_ymd(2020, 7, 1);
    while (simulation->calendar().date(static_cast<std::int32_t>(simulation->daily_counts().size())) < until)
      simulation->step();
  }
  return *simulation;
}

void BM_contact_phase(benchmark::State& state) {
  model::Simulation& simulation = simulation_at(state.range(0));
  engine::ThreadLimit limit(static_cast<int>(state.range(1)));
  const auto delivered = [&] { return simulation.daily_counts().back()[int(model::Series::contacts_delivered)]; };
  const std::int64_t before = delivered();
  for (auto _ : state) simulation.repeat_phase("scam_contacts");
  const auto contacts = static_cast<double>(delivered() - before);
  state.counters["contacts/s"] = benchmark::Counter(contacts, benchmark::Counter::kIsRate);
  state.counters["contacts"] = benchmark::Counter(contacts, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_contact_phase)
    ->ArgNames({"scale", "threads"})
    ->Args({1000, 1})
    ->Args({1000, 2})
    ->Args({100, 1})
    ->Args({100, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
