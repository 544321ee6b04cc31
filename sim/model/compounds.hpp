#pragma once
// The compounds abroad and the residents working in them: compounds open and
// close here, and workers join and leave them only here, so a compound's
// workforce always equals the workers present. Records the workforce stocks
// and month-end snapshots of every compound.
#include <cstdint>
#include <string>
#include <vector>

#include "model/context.hpp"

namespace fraudsim::model {

class CompoundsModule {
 public:
  explicit CompoundsModule(const Context& ctx);

  // At the start: each jurisdiction's compounds, shared in turn among its
  // groups, then the workforce they hold at the start date.
  void open_initial();
  void place_initial_workers();
  void record(std::int32_t day);  // today's stocks; month-end snapshots

  void open(std::uint8_t jurisdiction, std::uint16_t group, std::int32_t day);  // day -1: open at the start
  // Sends its workers home and closes it; nothing if it is closed already.
  void close(std::int64_t compound, std::int32_t day);
  // Places for workers today (agents).
  double capacity(std::int64_t compound, std::int32_t day) const;
  void add_worker(ResidentId r, std::uint16_t compound, bool trafficked);
  // Removes the workers marked in `leaving` (keeping order) and sends them home.
  void remove_workers(const std::vector<std::uint8_t>& leaving);
  // Empty if the people abroad are the workers, each in an open compound, and
  // each compound's workforce counts them; else what broke.
  std::string check() const;

  // Month-end snapshots: workforce and jurisdiction (-1: not open) of every
  // compound that existed, by month.
  const std::vector<std::vector<std::int32_t>>& workforce_by_month() const { return workforce_by_month_; }
  const std::vector<std::vector<std::int32_t>>& jurisdiction_by_month() const { return jurisdiction_by_month_; }

 private:
  Context ctx_;
  std::vector<std::vector<std::int32_t>> workforce_by_month_, jurisdiction_by_month_;
};

}  // namespace fraudsim::model
