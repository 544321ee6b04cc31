#include "run/run.hpp"

#include <cassert>
#include <map>

#include "fraudsim/version.hpp"

namespace fraudsim::run {

using model::Aggregation;
using model::series_info;

output::RunOutput make_output(const model::Simulation& simulation, const RunInfo& info) {
  const model::Scenario& s = simulation.scenario();
  const engine::Calendar& calendar = simulation.calendar();
  const auto& daily = simulation.daily_counts();
  assert(static_cast<std::int32_t>(daily.size()) == calendar.num_days());
  output::RunOutput out;

  out.meta = {
      {"version", std::string(build::version)},
      {"git_commit", std::string(build::git_commit)},
      {"build_type", std::string(build::build_type)},
      {"seed", static_cast<std::int64_t>(info.seed)},
      {"threads", static_cast<std::int64_t>(info.threads)},
      {"scale", s.scale},
      {"population", s.population},
      {"resident_agents", s.num_residents()},
      {"start_date", s.start_date.iso()},
      {"end_date", s.end_date.iso()},
      {"scenario_name", s.name},
      {"scenario", model::resolved_yaml(s)},
  };

  for (std::int32_t d = 0; d < calendar.num_days(); ++d) out.daily_dates.push_back(calendar.date(d).iso());
  for (int m = 0; m < calendar.num_months(); ++m) {
    const engine::Date first = engine::Date::from_ymd(calendar.start().year() + (calendar.start().month() - 1 + m) / 12,
                                                      (calendar.start().month() - 1 + m) % 12 + 1, 1);
    out.monthly_months.push_back(first.year_month());
  }

  for (const auto& info_row : series_info) {
    const int id = static_cast<int>(info_row.id);
    std::vector<std::int64_t> per_day(daily.size()), per_month(static_cast<std::size_t>(calendar.num_months()), 0);
    for (std::size_t d = 0; d < daily.size(); ++d) {
      per_day[d] = daily[d][id] * s.scale;
      const int m = calendar.month_of(static_cast<std::int32_t>(d));
      if (info_row.aggregation == Aggregation::flow)
        per_month[m] += per_day[d];
      else
        per_month[m] = per_day[d];  // the month's last simulated day wins
    }
    const std::string how = info_row.aggregation == Aggregation::flow ? " (total over the period)" : " (on the period's last day)";
    out.daily.push_back({std::string(info_row.name), std::string(info_row.units),
                         std::string(info_row.description) + " (per day)", std::move(per_day)});
    out.monthly.push_back({std::string(info_row.name), std::string(info_row.units),
                           std::string(info_row.description) + how, std::move(per_month)});
  }

  output::Table interventions{"interventions", "the scenario's interventions and their dates", {}};
  std::vector<std::string> names, types, starts, ends;
  std::vector<std::int64_t> enabled, ramps;
  for (const auto& item : s.interventions.items()) {
    names.push_back(item->name);
    types.push_back(std::string(item->type()));
    starts.push_back(item->start.iso());
    ends.push_back(item->end ? item->end->iso() : "");
    enabled.push_back(item->enabled ? 1 : 0);
    ramps.push_back(item->ramp_days);
  }
  interventions.columns = {
      {"name", "", "name given in the scenario", names},
      {"type", "", "intervention type", types},
      {"start", "date", "first day with any effect (YYYY-MM-DD)", starts},
      {"end", "date", "last day with any effect (YYYY-MM-DD; empty: to the end of the run)", ends},
      {"ramp_days", "days", "days over which its strength rises to full", ramps},
      {"enabled", "", "1 if switched on", enabled},
  };
  out.tables.push_back(std::move(interventions));

  for (const auto& timing : simulation.phase_timings()) out.perf_seconds.emplace_back("phase_" + timing.name, timing.seconds);
  out.perf_seconds.emplace_back("wall", info.wall_seconds);
  return out;
}

std::vector<AnnualRow> annual_totals(const output::RunOutput& out, const std::vector<std::string>& series) {
  std::map<int, std::vector<double>> by_year;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const output::Series* found = nullptr;
    for (const auto& candidate : out.monthly)
      if (candidate.name == series[k]) found = &candidate;
    assert(found && "summary names a series the model does not record");
    const auto& values = std::get<std::vector<std::int64_t>>(found->values);
    bool stock = false;
    for (const auto& info_row : series_info)
      if (info_row.name == series[k]) stock = info_row.aggregation == Aggregation::stock;
    for (std::size_t m = 0; m < values.size(); ++m) {
      const int year = std::stoi(out.monthly_months[m].substr(0, 4));
      auto& row = by_year[year];
      row.resize(series.size(), 0.0);
      row[k] = stock ? static_cast<double>(values[m]) : row[k] + static_cast<double>(values[m]);
    }
  }
  std::vector<AnnualRow> rows;
  for (auto& [year, values] : by_year) rows.push_back({year, std::move(values)});
  return rows;
}

}  // namespace fraudsim::run
