#pragma once
// The state of the simulated world: populations as structures of arrays,
// indexed by agent id, with the smallest types that hold their values.
#include <cstdint>
#include <vector>

#include "model/levers.hpp"

namespace fraudsim::model {

enum class Status : std::uint8_t { home = 0, abroad = 1 };

using ResidentId = std::uint32_t;

struct Residents {
  std::vector<std::uint8_t> region;          // index into Scenario::regions
  std::vector<std::uint8_t> age_band;        // index into Scenario::age_bands
  std::vector<std::uint8_t> status;          // Status
  std::vector<std::uint8_t> job_seeker;      // 1 if seeking work
  std::vector<std::uint8_t> victimisations;  // times deceived so far (saturates at 255)
  // Individual susceptibility as a quantile class of a lognormal with median 1:
  // class k stands for the quantile (k + 0.5) / 256 (Simulation::susceptibility_of_class_).
  std::vector<std::uint8_t> susceptibility_class;
  // Personal awareness from experience, as of awareness_day; it decays
  // between touches and is brought up to date only when read or changed.
  std::vector<float> awareness;
  std::vector<std::int32_t> awareness_day;

  std::int64_t size() const { return static_cast<std::int64_t>(status.size()); }
};

// Residents working in compounds abroad (a resident is in here exactly when
// their status is `abroad`).
struct Workers {
  std::vector<ResidentId> resident;
  std::vector<std::uint16_t> compound;
  std::vector<std::uint8_t> trafficked;
  std::int64_t size() const { return static_cast<std::int64_t>(resident.size()); }
};

struct Compounds {
  std::vector<std::uint8_t> jurisdiction;  // index into Scenario::jurisdictions
  std::vector<std::uint16_t> group;        // controlling family crime group (global index)
  std::vector<double> initial_capacity;    // agents
  std::vector<std::int32_t> workforce;     // agents
  std::int64_t size() const { return static_cast<std::int64_t>(workforce.size()); }
};

struct World {
  Residents residents;
  Workers workers;
  Compounds compounds;
  std::vector<std::vector<ResidentId>> job_seekers_by_region;
  std::vector<ResidentId> job_seekers;
  double public_awareness = 0;
  std::int64_t open_cases = 0;  // agents' registered cases not yet solved
  Levers levers;                // today's, set by the interventions
};

}  // namespace fraudsim::model
