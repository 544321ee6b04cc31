#pragma once
// The compounds abroad and the people working in them: compounds open and
// close here, and workers join and leave them only here, so a compound's
// workforce always equals the workers present. Workers from the home country
// are residents (World::workers); workers of the other origins
// (Parameters::origins) are counts by origin and compound, kept here.
// Records the workforce stocks and month-end snapshots of every compound.
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
  // Workers of other origins: counts (agents) by origin and compound.
  void place_initial_foreign_workers();
  std::int32_t foreign_workers(std::size_t origin, std::int64_t compound) const { return foreign_[origin][compound]; }
  std::int32_t foreign_trafficked(std::size_t origin, std::int64_t compound) const {
    return foreign_trafficked_[origin][compound];
  }
  void add_foreign(std::size_t origin, std::int64_t compound, std::int64_t voluntary, std::int64_t trafficked);
  void remove_foreign(std::size_t origin, std::int64_t compound, std::int64_t voluntary, std::int64_t trafficked);

  // Empty if the people abroad are the workers, each in an open compound, and
  // each compound's workforce counts them; else what broke.
  std::string check() const;

  // Month-end snapshots: workforce and jurisdiction (-1: not open) of every
  // compound that existed, by month.
  const std::vector<std::vector<std::int32_t>>& workforce_by_month() const { return workforce_by_month_; }
  const std::vector<std::vector<std::int32_t>>& jurisdiction_by_month() const { return jurisdiction_by_month_; }
  // Month-end workforce (agents) by origin (0: the home country, then
  // Parameters::origins in order) and jurisdiction: [month][origin * jurisdictions + jurisdiction].
  const std::vector<std::vector<std::int64_t>>& origin_workforce_by_month() const { return origin_workforce_by_month_; }

 private:
  std::int64_t agents_of(double people, const engine::Stream& stream, std::size_t index) const;
  std::int64_t release_foreign(std::int64_t compound, DayCounts& t);
  std::string check_foreign() const;

  Context ctx_;
  std::vector<std::vector<std::int32_t>> workforce_by_month_, jurisdiction_by_month_;
  std::vector<std::vector<std::int64_t>> origin_workforce_by_month_;
  // [origin][compound], agents; and each origin's arrivals and departures so far, for the check.
  std::vector<std::vector<std::int32_t>> foreign_, foreign_trafficked_;
  std::vector<std::int64_t> foreign_arrived_, foreign_gone_;
};

}  // namespace fraudsim::model
