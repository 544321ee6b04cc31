#pragma once
// One run of the model: the world, the day plan, and the counts it records.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/day_plan.hpp"
#include "engine/random.hpp"
#include "model/scenario.hpp"
#include "model/series.hpp"
#include "model/world.hpp"

namespace fraudsim::model {

class Simulation {
 public:
  Simulation(Scenario scenario, std::uint64_t seed);

  // Runs every remaining day; `progress(days_done, num_days)` after each.
  void run(const std::function<void(std::int32_t, std::int32_t)>& progress = {});
  void step();  // one day
  bool finished() const { return day_ >= calendar_.num_days(); }

  const Scenario& scenario() const { return scenario_; }
  const engine::Calendar& calendar() const { return calendar_; }
  const World& world() const { return world_; }
  // Agent counts per simulated day so far (multiply by scale for real units).
  const std::vector<DayCounts>& daily_counts() const { return daily_; }
  std::vector<engine::DayPlan::Timing> phase_timings() const { return plan_.timings(); }
  // Empty if every bookkeeping identity holds (people neither created nor
  // lost, workforce equal to the workers present); otherwise what broke.
  std::string check_invariants() const;

 private:
  // The phases of a day, in order.
  engine::DayPlan make_plan();
  void apply_interventions(std::int32_t day);
  void update_public_awareness(std::int32_t day);
  void recruit(std::int32_t day);
  void leave_compounds(std::int32_t day);
  void make_scam_contacts(std::int32_t day);
  void investigate(std::int32_t day);
  void record_stocks(std::int32_t day);

  void populate();
  double personal_awareness(ResidentId r, std::int32_t day) const;
  double awareness(ResidentId r, std::int32_t day) const;  // public and personal combined
  void raise_awareness(ResidentId r, std::int32_t day, double gain);
  double compound_capacity(std::int64_t compound, std::int32_t day) const;
  void add_worker(ResidentId r, std::uint16_t compound, bool trafficked);

  // Per-worker scratch for the contact phase, kept to reuse its memory.
  struct ContactEvent {
    ResidentId target;
    std::uint8_t category;
    bool dissuaded;
    bool reported;
    std::int64_t loss_yuan;
  };
  struct ContactCounts {
    std::int64_t calls_blocked = 0, sms_blocked = 0, online_blocked = 0, delivered = 0;
  };
  std::vector<std::vector<ContactEvent>> contact_events_;
  std::vector<ContactCounts> contact_counts_;

  std::array<double, 256> susceptibility_of_class_{};

  Scenario scenario_;
  std::uint64_t seed_;
  engine::Calendar calendar_;
  World world_;
  std::vector<DayCounts> daily_;
  engine::DayPlan plan_;
  std::int32_t day_ = 0;
};

}  // namespace fraudsim::model
