#pragma once
// One run of the model: the world, the day plan, and the counts it records.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/day_plan.hpp"
#include "engine/random.hpp"
#include "model/levers.hpp"
#include "model/parameters.hpp"
#include "model/series.hpp"
#include "model/world.hpp"

namespace fraudsim::model {

struct SimulationOptions {
  bool record_transactions = false;  // keep every laundering transfer (World::transactions)
};

// Laundering flows of one hop in one month (agents' yuan; traced: transfers).
struct HopFlows {
  std::int64_t entered_yuan = 0, frozen_yuan = 0, passed_yuan = 0, commission_yuan = 0, traced = 0;
};

class Simulation {
 public:
  // `set_levers` sets each day's levers (none: no intervention ever acts).
  Simulation(Parameters parameters, LeverSetter set_levers, std::uint64_t seed, SimulationOptions options = {});
  Simulation(const Simulation&) = delete;  // the day plan refers to this object
  Simulation& operator=(const Simulation&) = delete;

  // Runs every remaining day; `progress(days_done, num_days)` after each.
  void run(const std::function<void(std::int32_t, std::int32_t)>& progress = {});
  void step();  // one day
  bool finished() const { return day_ >= calendar_.num_days(); }
  // Runs one phase of the day last stepped again, on the world as it is now
  // (micro-benchmarks time a phase this way); false if no phase has that
  // name. Its counts add to that day's.
  bool repeat_phase(std::string_view name);

  const Parameters& parameters() const { return params_; }
  const SimulationOptions& options() const { return options_; }
  const engine::Calendar& calendar() const { return calendar_; }
  const World& world() const { return world_; }
  // Agent counts per simulated day so far (multiply by scale for real units).
  const std::vector<DayCounts>& daily_counts() const { return daily_; }
  // Average card price over the groups not dismantled, per day (yuan).
  const std::vector<double>& daily_card_price() const { return card_price_; }
  // Month-end snapshots: workforce and jurisdiction (-1: not open) of every
  // compound that ever existed, by month.
  const std::vector<std::vector<std::int32_t>>& compound_workforce_by_month() const { return compound_workforce_; }
  const std::vector<std::vector<std::int32_t>>& compound_jurisdiction_by_month() const { return compound_jurisdiction_; }
  const std::vector<std::array<HopFlows, num_hops>>& hop_flows_by_month() const { return hop_flows_; }
  std::vector<engine::DayPlan::Timing> phase_timings() const { return plan_.timings(); }
  // Empty if every bookkeeping identity holds: people neither created nor
  // lost, workforce equal to the workers present, money conserved
  // (losses = frozen + in transit + commissions + laundered); else what broke.
  std::string check_invariants() const;

 private:
  // The phases of a day, in order.
  engine::DayPlan make_plan();
  void apply_interventions(std::int32_t day);
  void adapt_effort(std::int32_t day);
  void update_public_awareness(std::int32_t day);
  void release_detainees(std::int32_t day);
  void recruit(std::int32_t day);
  void trade_cards(std::int32_t day);
  void raid_compounds(std::int32_t day);
  void run_groups(std::int32_t day);
  void leave_compounds(std::int32_t day);
  void make_scam_contacts(std::int32_t day);
  void launder(std::int32_t day);
  void investigate(std::int32_t day);
  void record_stocks(std::int32_t day);

  // Initialisation.
  void populate();
  void open_compound(std::uint8_t jurisdiction, std::uint16_t group, std::int32_t day);

  // Shared by the phases.
  DayCounts& today(std::int32_t day) { return daily_[static_cast<std::size_t>(day)]; }
  double personal_awareness(ResidentId r, std::int32_t day) const;
  double awareness(ResidentId r, std::int32_t day) const;  // public and personal combined
  void raise_awareness(ResidentId r, std::int32_t day, double gain);
  double compound_capacity(std::int64_t compound, std::int32_t day) const;
  void add_worker(ResidentId r, std::uint16_t compound, bool trafficked);
  // Removes the workers marked in `leaving` (keeping order) and sends them home.
  void remove_workers(const std::vector<std::uint8_t>& leaving);
  enum class Offence : std::uint8_t { card_selling, laundering, smuggling, fraud_abroad, trafficked_returnee };
  // Arrests a resident at home and puts them through the justice pipeline;
  // false if they are not at home (abroad or already detained).
  bool arrest(ResidentId r, Offence offence, std::int32_t day, engine::Draws& draws);
  void deactivate_card(CardId card, CardState state);
  static std::int64_t card_account(CardId card);
  static std::int64_t hop_account(int hop, std::uint16_t group, std::uint32_t payment);
  CardId issue_card(ResidentId seller, std::uint16_t group, CardKind kind);
  void add_card_rows(std::int64_t count);
  void fill_card(CardId card, ResidentId seller, std::uint16_t group, CardKind kind);
  void close_compound(std::int64_t compound, std::int32_t day);
  void dismantle_group(std::uint16_t group, std::int32_t day);
  void log_event(std::int32_t day, EventType type, std::int64_t compound, std::int64_t jurisdiction, std::int64_t group,
                 std::int64_t count);
  std::int64_t pick_jurisdiction_with_room(std::int64_t excluded, double u) const;

  // Per-compound scratch for the contact phase, kept to reuse its memory.
  struct ContactEvent {
    ResidentId target;
    std::uint8_t category;
    bool dissuaded;
    bool reported;
    std::int64_t loss_yuan;
  };
  struct ContactCounts {
    std::int64_t domains_blocked = 0, calls_blocked = 0, sms_blocked = 0, online_blocked = 0, delivered = 0, no_phone_card = 0;
  };
  std::vector<std::vector<ContactEvent>> contact_events_;
  std::vector<ContactCounts> contact_counts_;
  std::array<double, 256> susceptibility_of_class_{};

  Parameters params_;
  LeverSetter set_levers_;
  std::uint64_t seed_;
  SimulationOptions options_;
  engine::Calendar calendar_;
  World world_;
  std::vector<DayCounts> daily_;
  std::vector<double> card_price_;
  std::vector<std::vector<std::int32_t>> compound_workforce_, compound_jurisdiction_;
  std::vector<std::array<HopFlows, num_hops>> hop_flows_;
  // Cumulative money, for the conservation check (agents' yuan).
  std::int64_t total_losses_ = 0, total_frozen_ = 0, total_commissions_ = 0, total_laundered_ = 0;
  engine::DayPlan plan_;
  std::int32_t day_ = 0;
};

}  // namespace fraudsim::model
