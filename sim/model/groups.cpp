#include "model/groups.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "engine/det_math.hpp"

namespace fraudsim::model {

void GroupsModule::form_initial() {
  const Parameters& s = ctx_.params;
  Groups& groups = ctx_.world.groups;
  for (std::size_t j = 0; j < s.jurisdictions.size(); ++j)
    for (std::int64_t g = 0; g < s.jurisdictions[j].groups; ++g) {
      groups.home_jurisdiction.push_back(static_cast<std::uint8_t>(j));
      groups.leaders.push_back(static_cast<std::int32_t>(s.groups.leaders_per_group));
      groups.financiers.push_back(static_cast<std::int32_t>(s.groups.financiers_per_group));
      groups.dismantled.push_back(0);
      groups.card_price_yuan.push_back(s.cards.reference_price_yuan);
    }
  const std::int64_t num_groups = groups.size();
  groups.bank_cards.resize(num_groups);
  groups.sim_cards.resize(num_groups);
  groups.launderers.resize(num_groups);
}

double GroupsModule::enforcement(std::size_t j) const {
  double level = ctx_.params.jurisdictions[j].enforcement;
  if (j < levers_.enforcement.size()) Levers::tighten(level, levers_.enforcement[j]);
  return level;
}

// A logit choice: log weight = log room - log(1 + raid pressure) -
// sensitivity * (enforcement + cost). With sensitivity 0 the factor is 1 and
// the choice is the one of room and raid pressure alone.
double GroupsModule::location_factor(std::size_t j) const {
  const double sensitivity = ctx_.params.groups.location_sensitivity;
  if (sensitivity == 0) return 1.0;
  return engine::det::exp(-sensitivity * (enforcement(j) + ctx_.params.jurisdictions[j].operating_cost));
}

std::int64_t GroupsModule::pick_jurisdiction_with_room(std::int64_t excluded, double u, std::int32_t day) const {
  const Parameters& s = ctx_.params;
  const Compounds& cps = ctx_.world.compounds;
  const engine::Date today = ctx_.calendar.date(day);
  std::vector<double> weight(s.jurisdictions.size(), 0.0);
  std::vector<std::int64_t> open(s.jurisdictions.size(), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c) open[cps.jurisdiction[c]] += cps.open[c];
  double total = 0;
  for (std::size_t j = 0; j < weight.size(); ++j) {
    if (static_cast<std::int64_t>(j) == excluded) continue;
    const auto& from = s.jurisdictions[j].available_from;
    if (from && today < *from) continue;
    const double room = static_cast<double>(std::max<std::int64_t>(0, s.jurisdictions[j].max_compounds - open[j]));
    weight[j] = room / (1.0 + raid_pressure_[j]) * location_factor(j);
    total += weight[j];
  }
  if (total <= 0) return -1;
  double pick = u * total;
  for (std::size_t j = 0; j < weight.size(); ++j) {
    if (pick < weight[j]) return static_cast<std::int64_t>(j);
    pick -= weight[j];
  }
  for (std::size_t j = weight.size(); j-- > 0;)
    if (weight[j] > 0) return static_cast<std::int64_t>(j);
  return -1;
}

std::string GroupsModule::check(std::int32_t days_done) const {
  if (days_done <= 0) return "";
  const Parameters& s = ctx_.params;
  const Compounds& cps = ctx_.world.compounds;
  const engine::Date today = ctx_.calendar.date(days_done - 1);
  std::vector<std::int64_t> open(s.jurisdictions.size(), 0);
  std::ostringstream problems;
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    const Jurisdiction& j = s.jurisdictions[cps.jurisdiction[c]];
    ++open[cps.jurisdiction[c]];
    if (j.available_from && today < *j.available_from)
      problems << "compound " << c << ": open in " << j.name << " before it is available (" << j.available_from->iso() << ")\n";
  }
  for (std::size_t j = 0; j < open.size(); ++j)
    if (open[j] > s.jurisdictions[j].max_compounds)
      problems << s.jurisdictions[j].name << ": " << open[j] << " compounds open, room for " << s.jurisdictions[j].max_compounds << "\n";
  return problems.str();
}

void GroupsModule::dismantle(std::uint16_t group, std::int32_t day) {
  World& w = ctx_.world;
  if (w.groups.dismantled[group]) return;
  w.groups.dismantled[group] = 1;
  ++ctx_.today(day)[int(Series::groups_dismantled)];
  ctx_.log_event(day, EventType::group_dismantled, -1, w.groups.home_jurisdiction[group], group, 0);
  for (std::int64_t c = 0; c < w.compounds.size(); ++c)
    if (w.compounds.group[c] == group) compounds_.close(c, day);
  // Its cards are no longer used by anyone.
  for (auto* list : {&w.groups.bank_cards[group], &w.groups.sim_cards[group]})
    while (!list->empty()) cards_.deactivate(list->back(), CardState::used_up);
}

void GroupsModule::run(std::int32_t day) {
  const Parameters& s = ctx_.params;
  World& w = ctx_.world;
  Groups& groups = w.groups;
  DayCounts& t = ctx_.today(day);
  for (double& pressure : raid_pressure_)
    pressure *= engine::det::exp(-std::numbers::ln2 / s.groups.raid_pressure_half_life_days);

  // A compound counts as at most full: at a coarse scale one whole agent
  // overfills a compound of 1,000 people (half an agent at 1:2000), and
  // counting the excess would make a small group full whenever one lands.
  std::vector<double> capacity(static_cast<std::size_t>(groups.size()), 0.0);
  std::vector<double> workforce(static_cast<std::size_t>(groups.size()), 0.0);
  for (std::int64_t c = 0; c < w.compounds.size(); ++c)
    if (w.compounds.open[c]) {
      const double places = compounds_.capacity(c, day);
      capacity[w.compounds.group[c]] += places;
      workforce[w.compounds.group[c]] += std::min(static_cast<double>(w.compounds.all_workers(c)), places);
    }
  const double replace_financier = -engine::det::expm1(-s.groups.financier_replacement_per_year / 365.25);
  const double open_rate = -engine::det::expm1(-s.groups.new_compounds_per_year / 365.25);
  const engine::Stream stream = ctx_.stream("groups");
  for (std::int64_t g = 0; g < groups.size(); ++g) {
    if (groups.dismantled[g]) continue;
    auto draws = stream.draws(static_cast<std::uint64_t>(g), day);
    groups.financiers[g] += static_cast<std::int32_t>(
        draws.binomial(s.groups.financiers_per_group - groups.financiers[g], replace_financier));
    const double leadership = static_cast<double>(groups.leaders[g]) / static_cast<double>(s.groups.leaders_per_group);
    const bool full = workforce[g] >= s.groups.full_occupancy * capacity[g];
    if (!full || !draws.bernoulli(open_rate * leadership)) continue;
    if (w.compounds.size() >= 65535) continue;  // compound ids are 16-bit (docs/model.md)
    const std::int64_t j = pick_jurisdiction_with_room(-1, draws.uniform(), day);
    if (j < 0) continue;
    compounds_.open(static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(g), day);
    ++t[int(Series::compounds_opened)];
    ctx_.log_event(day, EventType::compound_opened, w.compounds.size() - 1, j, g, 0);
  }
}

}  // namespace fraudsim::model
