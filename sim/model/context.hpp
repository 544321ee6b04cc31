#pragma once
// What every module of the model works with: the run's parameters, calendar,
// seed and options, the world of agents, and the counts of each day. A module
// keeps a copy of it (it holds only references) and references to the
// modules whose services it uses, both given at construction; simulation.cpp
// builds the modules in the order they need each other.
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/random.hpp"
#include "model/parameters.hpp"
#include "model/series.hpp"
#include "model/world.hpp"

namespace fraudsim::model {

class PopulationCache;

struct SimulationOptions {
  bool record_transactions = false;  // keep every laundering transfer (World::transactions)
  // Where residents set up before are kept for simulations that would set
  // up the same ones (model/population.hpp); none: each sets up its own.
  PopulationCache* populations = nullptr;
};

struct Context {
  const Parameters& params;
  const engine::Calendar& calendar;
  std::uint64_t seed;
  const SimulationOptions& options;
  World& world;
  std::vector<DayCounts>& daily;

  DayCounts& today(std::int32_t day) const { return daily[static_cast<std::size_t>(day)]; }
  // The draws of one decision are keyed by the run's seed and its name.
  engine::Stream stream(std::string_view decision) const { return engine::Stream(seed, decision); }
  void log_event(std::int32_t day, EventType type, std::int64_t compound, std::int64_t jurisdiction, std::int64_t group,
                 std::int64_t count) const {
    world.events.push_back({day, type, static_cast<std::int32_t>(compound), static_cast<std::int32_t>(jurisdiction),
                            static_cast<std::int32_t>(group), count});
  }
};

}  // namespace fraudsim::model
