#pragma once
// Victim markets outside the home country (Parameters::markets), at a coarse
// grain: no agents. Compounds split their workers' effort between the home
// country and these markets by expected return: each market's target share
// is its share at the start times (its return per attempt today / at the
// start) ^ elasticity, renormalised, and the actual share moves towards the
// target at a rate per year. The start is an equilibrium. The home
// country's return falls with its own defences (blocking, warnings,
// dissuasion, awareness, freezing), read from today's levers and state.
// Home-country workers can put a share of their effort on foreign markets
// (language); workers of other origins work only the markets their origin
// lists. Victims in a foreign market are drawn as counts per compound and
// day; their losses, converted to yuan, and reports follow.
#include <cstdint>
#include <vector>

#include "model/adaptation.hpp"
#include "model/awareness.hpp"
#include "model/compounds.hpp"
#include "model/context.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class MarketsModule {
 public:
  MarketsModule(const Context& ctx, const Levers& levers, const AdaptationModule& adaptation,
                const AwarenessModule& awareness, const CompoundsModule& compounds);

  void allocate(std::int32_t day);  // phase "adaptation"
  void deceive(std::int32_t day);   // phase "scam_contacts", after the home country's contacts
  void record(std::int32_t day);    // month-end snapshots of the effort shares

  // Share of home-country workers' effort on the home country today (1
  // without foreign markets).
  double home_share() const { return share_.empty() ? 1.0 : share_[0][0]; }

  // By month, [month][market] (foreign markets in scenario order), in agents.
  const std::vector<std::vector<std::int64_t>>& victims_by_month() const { return victims_by_month_; }
  const std::vector<std::vector<std::int64_t>>& losses_yuan_by_month() const { return losses_by_month_; }
  const std::vector<std::vector<std::int64_t>>& reports_by_month() const { return reports_by_month_; }
  // Share of all the compounds' attempts aimed at each market at month end,
  // [month][market]: the home country first, then the foreign markets.
  const std::vector<std::vector<double>>& effort_share_by_month() const { return effort_by_month_; }

 private:
  double home_return() const;
  double defence(std::size_t market, std::int32_t day) const;
  std::vector<double> return_ratios(std::int32_t day) const;
  // Attempts (in worker-days) a compound aims at each market today, the home country first.
  std::vector<double> effort(std::int64_t compound) const;

  Context ctx_;
  const Levers& levers_;
  const AdaptationModule& adaptation_;
  const AwarenessModule& awareness_;
  const CompoundsModule& compounds_;
  // By kind of worker (0: home country, then each origin), over markets (0:
  // the home country, then Parameters::markets): at the start and today.
  std::vector<std::vector<double>> initial_, share_;
  std::vector<double> start_return_;  // by market, on the first day
  std::vector<std::vector<std::int64_t>> victims_by_month_, losses_by_month_, reports_by_month_;
  std::vector<std::vector<double>> effort_by_month_;
};

}  // namespace fraudsim::model
