// Family crime groups and their compounds: cross-border raids capture and
// hand over workers and arrest leaders and financiers; a group without
// leaders is dismantled and its compounds close; a raided compound may move
// to another jurisdiction with room (displacement); full groups open new
// compounds where raids have deterred least.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/det_math.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

std::int64_t Simulation::pick_jurisdiction_with_room(std::int64_t excluded, double u) const {
  const Compounds& cps = world_.compounds;
  std::vector<double> weight(params_.jurisdictions.size(), 0.0);
  std::vector<std::int64_t> open(params_.jurisdictions.size(), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c) open[cps.jurisdiction[c]] += cps.open[c];
  double total = 0;
  for (std::size_t j = 0; j < weight.size(); ++j) {
    if (static_cast<std::int64_t>(j) == excluded) continue;
    const double room = static_cast<double>(std::max<std::int64_t>(0, params_.jurisdictions[j].max_compounds - open[j]));
    weight[j] = room / (1.0 + world_.raid_pressure[j]);
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

void Simulation::close_compound(std::int64_t compound, std::int32_t day) {
  Compounds& cps = world_.compounds;
  if (!cps.open[compound]) return;
  DayCounts& t = today(day);
  std::vector<std::uint8_t> leaving(static_cast<std::size_t>(world_.workers.size()), 0);
  std::int64_t released = 0;
  for (std::int64_t i = 0; i < world_.workers.size(); ++i)
    if (world_.workers.compound[i] == compound) {
      leaving[i] = 1;
      ++released;
      ++t[int(world_.workers.trafficked[i] ? Series::returned_trafficked : Series::returned_voluntary)];
    }
  remove_workers(leaving);
  t[int(Series::released_on_closure)] += released;
  cps.open[compound] = 0;
  cps.closed_day[compound] = day;
  ++t[int(Series::compounds_closed)];
  log_event(day, EventType::compound_closed, compound, cps.jurisdiction[compound], cps.group[compound], released);
}

void Simulation::dismantle_group(std::uint16_t group, std::int32_t day) {
  if (world_.groups.dismantled[group]) return;
  world_.groups.dismantled[group] = 1;
  ++today(day)[int(Series::groups_dismantled)];
  log_event(day, EventType::group_dismantled, -1, world_.groups.home_jurisdiction[group], group, 0);
  for (std::int64_t c = 0; c < world_.compounds.size(); ++c)
    if (world_.compounds.group[c] == group) close_compound(c, day);
  // Its cards are no longer used by anyone.
  for (auto* list : {&world_.groups.bank_cards[group], &world_.groups.sim_cards[group]})
    while (!list->empty()) deactivate_card(list->back(), CardState::used_up);
}

void Simulation::raid_compounds(std::int32_t day) {
  const Levers& levers = world_.levers;
  if (std::none_of(levers.raids.begin(), levers.raids.end(), [](const RaidLever& r) { return r.raid_probability_per_day > 0; }))
    return;
  Compounds& cps = world_.compounds;
  Groups& groups = world_.groups;
  DayCounts& t = today(day);
  const engine::Stream raid_stream(seed_, "raids"), capture_stream(seed_, "raid_captures");

  std::vector<std::uint8_t> raided(static_cast<std::size_t>(cps.size()), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    auto draws = raid_stream.draws(static_cast<std::uint64_t>(c), day);
    raided[c] = draws.bernoulli(levers.raids[cps.jurisdiction[c]].raid_probability_per_day);
  }

  // Capture: each worker present in a raided compound, on their own stream.
  std::vector<std::uint8_t> captured(static_cast<std::size_t>(world_.workers.size()), 0);
  std::vector<std::int64_t> captured_in(static_cast<std::size_t>(cps.size()), 0);
  for (std::int64_t i = 0; i < world_.workers.size(); ++i) {
    const std::uint16_t c = world_.workers.compound[i];
    if (!raided[c]) continue;
    const std::uint8_t j = cps.jurisdiction[c];
    const double share = levers.raids[j].capture_share * (1.0 - params_.jurisdictions[j].protection);
    auto draws = capture_stream.draws(world_.workers.resident[i], day);
    if (!draws.bernoulli(share)) continue;
    captured[i] = 1;
    ++captured_in[c];
  }
  std::vector<std::pair<ResidentId, bool>> handed;
  for (std::int64_t i = 0; i < world_.workers.size(); ++i)
    if (captured[i]) handed.emplace_back(world_.workers.resident[i], world_.workers.trafficked[i] != 0);
  remove_workers(captured);
  const engine::Stream handover_stream(seed_, "handover_arrests");
  for (const auto& [r, trafficked] : handed) {
    ++t[int(Series::handed_over)];
    ++t[int(trafficked ? Series::handed_over_trafficked : Series::handed_over_voluntary)];
    auto draws = handover_stream.draws(r, day);
    // Handed over as suspects; trafficked victims are screened and many let go.
    if (!trafficked || draws.bernoulli(params_.workers.trafficked_arrest_on_return_probability))
      arrest(r, trafficked ? Offence::trafficked_returnee : Offence::fraud_abroad, day, draws);
  }

  const engine::Stream leadership(seed_, "raid_leadership"), relocation(seed_, "relocation");
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!raided[c]) continue;
    const std::uint8_t j = cps.jurisdiction[c];
    const std::uint16_t g = cps.group[c];
    ++t[int(Series::raids)];
    world_.raid_pressure[j] += 1.0;
    log_event(day, EventType::raid, c, j, g, captured_in[c]);
    if (captured_in[c] > 0) log_event(day, EventType::handover, c, j, g, captured_in[c]);
    auto draws = leadership.draws(static_cast<std::uint64_t>(c), day);
    const std::int64_t leaders = draws.binomial(groups.leaders[g], levers.raids[j].leader_arrest_probability);
    const std::int64_t financiers = draws.binomial(groups.financiers[g], levers.raids[j].financier_arrest_probability);
    groups.leaders[g] -= static_cast<std::int32_t>(leaders);
    groups.financiers[g] -= static_cast<std::int32_t>(financiers);
    t[int(Series::leaders_arrested)] += leaders;
    t[int(Series::financiers_arrested)] += financiers;
    if (leaders > 0) log_event(day, EventType::leader_arrest, c, j, g, leaders);
    if (financiers > 0) log_event(day, EventType::financier_arrest, c, j, g, financiers);
    if (groups.leaders[g] == 0) {
      dismantle_group(g, day);
      continue;
    }
    auto move = relocation.draws(static_cast<std::uint64_t>(c), day);
    if (cps.open[c] && move.bernoulli(params_.groups.relocation_probability)) {
      const std::int64_t to = pick_jurisdiction_with_room(j, move.uniform());
      if (to >= 0) {
        cps.jurisdiction[c] = static_cast<std::uint8_t>(to);
        ++t[int(Series::relocations)];
        log_event(day, EventType::relocation, c, to, g, cps.workforce[c]);
      }
    }
  }
}

void Simulation::run_groups(std::int32_t day) {
  const Parameters& s = params_;
  Groups& groups = world_.groups;
  DayCounts& t = today(day);
  for (double& pressure : world_.raid_pressure)
    pressure *= engine::det::exp(-std::numbers::ln2 / s.groups.raid_pressure_half_life_days);

  std::vector<double> capacity(static_cast<std::size_t>(groups.size()), 0.0);
  std::vector<std::int64_t> workforce(static_cast<std::size_t>(groups.size()), 0);
  for (std::int64_t c = 0; c < world_.compounds.size(); ++c)
    if (world_.compounds.open[c]) {
      capacity[world_.compounds.group[c]] += compound_capacity(c, day);
      workforce[world_.compounds.group[c]] += world_.compounds.workforce[c];
    }
  const double replace_financier = -engine::det::expm1(-s.groups.financier_replacement_per_year / 365.25);
  const double open_rate = -engine::det::expm1(-s.groups.new_compounds_per_year / 365.25);
  const engine::Stream stream(seed_, "groups");
  for (std::int64_t g = 0; g < groups.size(); ++g) {
    if (groups.dismantled[g]) continue;
    auto draws = stream.draws(static_cast<std::uint64_t>(g), day);
    groups.financiers[g] += static_cast<std::int32_t>(
        draws.binomial(s.groups.financiers_per_group - groups.financiers[g], replace_financier));
    const double leadership = static_cast<double>(groups.leaders[g]) / static_cast<double>(s.groups.leaders_per_group);
    const bool full = static_cast<double>(workforce[g]) >= s.groups.full_occupancy * capacity[g];
    if (!full || !draws.bernoulli(open_rate * leadership)) continue;
    if (world_.compounds.size() >= 65535) continue;  // compound ids are 16-bit (docs/model.md)
    const std::int64_t j = pick_jurisdiction_with_room(-1, draws.uniform());
    if (j < 0) continue;
    open_compound(static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(g), day);
    ++t[int(Series::compounds_opened)];
    log_event(day, EventType::compound_opened, world_.compounds.size() - 1, j, g, 0);
  }

  // Organisers of illegal crossings replace those arrested, from the border regions.
  const double replace_smuggler = -engine::det::expm1(-s.smuggling.replacement_per_year / 365.25);
  auto draws = stream.draws(UINT64_MAX, day);
  const std::int64_t replaced = draws.binomial(world_.smugglers_missing, replace_smuggler);
  const auto& pool = world_.border_residents.empty() ? world_.job_seekers : world_.border_residents;
  for (std::int64_t k = 0; k < replaced && !pool.empty(); ++k) {
    const ResidentId r = pool[draws.below(pool.size())];
    if (!world_.residents.at_home(r)) continue;
    world_.smugglers.push_back(r);
    --world_.smugglers_missing;
  }
}

}  // namespace fraudsim::model
