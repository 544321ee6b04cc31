#include "model/markets.hpp"

#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"

namespace fraudsim::model {

MarketsModule::MarketsModule(const Context& ctx, const Levers& levers, const AdaptationModule& adaptation,
                             const AwarenessModule& awareness, const CompoundsModule& compounds)
    : ctx_(ctx), levers_(levers), adaptation_(adaptation), awareness_(awareness), compounds_(compounds) {
  const Parameters& s = ctx.params;
  const auto months = static_cast<std::size_t>(ctx.calendar.num_months());
  victims_by_month_.assign(months, std::vector<std::int64_t>(s.markets.size(), 0));
  losses_by_month_ = reports_by_month_ = victims_by_month_;
  effort_by_month_.assign(months, std::vector<double>(1 + s.markets.size(), 0.0));
  if (s.markets.empty()) return;  // the home country takes all the effort: nothing to allocate

  const std::size_t num_markets = 1 + s.markets.size();
  double all_weights = 0;
  for (const Market& m : s.markets) all_weights += m.initial_effort_weight;
  std::vector<double> home(num_markets, 0.0);
  const double abroad = all_weights > 0 ? s.market_allocation.chinese_worker_foreign_share : 0.0;
  home[0] = 1.0 - abroad;
  for (std::size_t m = 1; m < num_markets; ++m)
    if (abroad > 0) home[m] = abroad * s.markets[m - 1].initial_effort_weight / all_weights;
  initial_.push_back(home);
  // An origin's workers split their effort over the markets it lists, by
  // weight (equally if the weights are all zero).
  for (const Origin& origin : s.origins) {
    std::vector<double> shares(num_markets, 0.0);
    for (const std::string& name : origin.markets)
      for (std::size_t m = 1; m < num_markets; ++m)
        if (s.markets[m - 1].name == name) shares[m] = std::max(s.markets[m - 1].initial_effort_weight, 1e-300);
    double total = 0;
    for (const double x : shares) total += x;
    for (double& x : shares) x /= total;
    initial_.push_back(shares);
  }
  share_ = initial_;
}

// The home country's return per attempt, up to constant factors: the share
// of attempts delivered, of recipients unaware and unwarned, of victims not
// dissuaded, and of money not frozen on its way to the group.
double MarketsModule::home_return() const {
  const Parameters& s = ctx_.params;
  const Levers& l = levers_;
  const auto& mix = adaptation_.channel_effort();
  double delivered = 0;
  for (int c = 0; c < num_channels; ++c) delivered += mix[c] * (1.0 - l.block_probability[c]);
  const double unwarned = 1.0 - l.lead_warning_share * s.victims.awareness_after_warning;
  double kept = 1.0;
  for (int h = 0; h < num_hops; ++h) {
    double frozen = s.laundering.hops[h].freeze_probability;
    Levers::tighten(frozen, l.freeze_probability[h]);
    kept *= 1.0 - frozen;
  }
  return delivered * (1.0 - awareness_.public_level()) * unwarned * (1.0 - l.dissuasion_probability) * kept;
}

double MarketsModule::defence(std::size_t market, std::int32_t day) const {
  const Market& m = ctx_.params.markets[market];
  return m.defence_rise_date && ctx_.calendar.date(day) >= *m.defence_rise_date ? m.defence_share_after_rise
                                                                                   : m.defence_share;
}

// Each market's return per attempt today over that on the first day.
std::vector<double> MarketsModule::return_ratios(std::int32_t day) const {
  const std::size_t num_markets = share_[0].size();
  std::vector<double> today(num_markets);
  today[0] = home_return();
  for (std::size_t m = 1; m < num_markets; ++m) today[m] = 1.0 - defence(m - 1, day);
  std::vector<double> ratio(num_markets, 1.0);
  for (std::size_t m = 0; m < num_markets; ++m)
    if (start_return_[m] > 0) ratio[m] = today[m] / start_return_[m];
  return ratio;
}

void MarketsModule::allocate(std::int32_t day) {
  if (share_.empty()) return;
  if (start_return_.empty()) {
    start_return_.push_back(home_return());
    for (std::size_t m = 0; m < ctx_.params.markets.size(); ++m) start_return_.push_back(1.0 - defence(m, day));
  }
  const MarketAllocation& p = ctx_.params.market_allocation;
  const std::vector<double> ratio = return_ratios(day);
  const double step = -engine::det::expm1(-p.reallocation_per_year / 365.25);
  std::vector<double> pull(ratio.size());
  for (std::size_t m = 0; m < ratio.size(); ++m)
    pull[m] = ratio[m] > 0 ? engine::det::exp(p.return_elasticity * engine::det::log(ratio[m])) : 0.0;
  for (std::size_t k = 0; k < share_.size(); ++k) {
    double total = 0;
    for (std::size_t m = 0; m < pull.size(); ++m) total += initial_[k][m] * pull[m];
    if (total <= 0) continue;  // every market it can work has lost all return: it stays as it is
    for (std::size_t m = 0; m < pull.size(); ++m) share_[k][m] += (initial_[k][m] * pull[m] / total - share_[k][m]) * step;
  }
}

std::vector<double> MarketsModule::effort(std::int64_t c) const {
  const Compounds& cps = ctx_.world.compounds;
  std::vector<double> workers(share_[0].size(), 0.0);
  for (std::size_t m = 0; m < workers.size(); ++m) {
    workers[m] = cps.workforce[c] * share_[0][m];
    for (std::size_t o = 0; o + 1 < share_.size(); ++o) workers[m] += compounds_.foreign_workers(o, c) * share_[1 + o][m];
  }
  return workers;
}

// Victims in each foreign market, a Poisson count per compound and day
// (attempts times the share its defences let through times the chance of
// deceiving); each victim's loss is drawn in the market's currency.
void MarketsModule::deceive(std::int32_t day) {
  if (share_.empty()) return;
  const Parameters& s = ctx_.params;
  const Compounds& cps = ctx_.world.compounds;
  DayCounts& t = ctx_.today(day);
  const auto month = static_cast<std::size_t>(ctx_.calendar.month_of(day));
  const engine::Stream stream = ctx_.stream("foreign_victims");
  std::vector<double> odds(s.markets.size());
  for (std::size_t m = 0; m < s.markets.size(); ++m)
    odds[m] = s.workers.attempts_per_day * (1.0 - defence(m, day)) * s.markets[m].deception_probability;
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c] || cps.all_workers(c) == 0) continue;
    const std::vector<double> workers = effort(c);
    for (std::size_t m = 0; m < s.markets.size(); ++m) {
      const Market& market = s.markets[m];
      auto draws = stream.draws((static_cast<std::uint64_t>(c) << 8) | m, day);
      const std::int64_t victims = draws.poisson(odds[m] * workers[1 + m]);
      std::int64_t losses = 0, reports = 0;
      for (std::int64_t v = 0; v < victims; ++v) {
        losses += std::llround(draws.lognormal(engine::det::log(market.loss_median), market.loss_log_sd) * market.yuan_per_unit);
        reports += draws.bernoulli(market.report_probability) ? 1 : 0;
      }
      victims_by_month_[month][m] += victims;
      losses_by_month_[month][m] += losses;
      reports_by_month_[month][m] += reports;
      t[int(Series::foreign_victims)] += victims;
      t[int(Series::foreign_losses_yuan)] += losses;
      t[int(Series::foreign_reported_cases)] += reports;
    }
  }
}

void MarketsModule::record(std::int32_t day) {
  if (share_.empty() || !ctx_.calendar.is_last_day_of_month(day)) return;
  const Compounds& cps = ctx_.world.compounds;
  std::vector<double> total(share_[0].size(), 0.0);
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    const std::vector<double> workers = effort(c);
    for (std::size_t m = 0; m < total.size(); ++m) total[m] += workers[m];
  }
  double all = 0;
  for (const double x : total) all += x;
  auto& shares = effort_by_month_[static_cast<std::size_t>(ctx_.calendar.month_of(day))];
  for (std::size_t m = 0; m < total.size(); ++m) shares[m] = all > 0 ? total[m] / all : 0.0;
}

}  // namespace fraudsim::model
