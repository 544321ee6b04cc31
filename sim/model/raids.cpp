#include "model/raids.hpp"

#include <algorithm>
#include <utility>

namespace fraudsim::model {

void RaidsModule::raid(std::int32_t day) {
  if (std::none_of(levers_.raids.begin(), levers_.raids.end(), [](const RaidLever& r) { return r.raid_probability_per_day > 0; }))
    return;
  const std::vector<std::uint8_t> raided = choose_raided(day);
  const std::vector<std::int64_t> captured_in = capture(raided, day);
  // Workers of other origins are deported, not handed over.
  for (std::int64_t c = 0; c < ctx_.world.compounds.size(); ++c)
    if (raided[c]) origins_.deport(c, capture_share(c), day);
  for (std::int64_t c = 0; c < ctx_.world.compounds.size(); ++c)
    if (raided[c]) consequences(c, captured_in[c], day);
}

std::vector<std::uint8_t> RaidsModule::choose_raided(std::int32_t day) const {
  const Compounds& cps = ctx_.world.compounds;
  const engine::Stream raid_stream = ctx_.stream("raids");
  std::vector<std::uint8_t> raided(static_cast<std::size_t>(cps.size()), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    auto draws = raid_stream.draws(static_cast<std::uint64_t>(c), day);
    raided[c] = draws.bernoulli(levers_.raids[cps.jurisdiction[c]].raid_probability_per_day);
  }
  return raided;
}

double RaidsModule::capture_share(std::int64_t compound) const {
  const std::uint8_t j = ctx_.world.compounds.jurisdiction[compound];
  return levers_.raids[j].capture_share * (1.0 - ctx_.params.jurisdictions[j].protection);
}

// Each worker present in a raided compound is captured or not on their own
// stream; the captured are handed over as suspects, and trafficked victims
// are screened and many let go.
std::vector<std::int64_t> RaidsModule::capture(const std::vector<std::uint8_t>& raided, std::int32_t day) {
  const World& w = ctx_.world;
  const Compounds& cps = w.compounds;
  DayCounts& t = ctx_.today(day);
  const engine::Stream capture_stream = ctx_.stream("raid_captures");
  std::vector<std::uint8_t> captured(static_cast<std::size_t>(w.workers.size()), 0);
  std::vector<std::int64_t> captured_in(static_cast<std::size_t>(cps.size()), 0);
  for (std::int64_t i = 0; i < w.workers.size(); ++i) {
    const std::uint16_t c = w.workers.compound[i];
    if (!raided[c]) continue;
    const double share = capture_share(c);
    auto draws = capture_stream.draws(w.workers.resident[i], day);
    if (!draws.bernoulli(share)) continue;
    captured[i] = 1;
    ++captured_in[c];
  }
  std::vector<std::pair<ResidentId, bool>> handed;
  for (std::int64_t i = 0; i < w.workers.size(); ++i)
    if (captured[i]) handed.emplace_back(w.workers.resident[i], w.workers.trafficked[i] != 0);
  compounds_.remove_workers(captured);
  const engine::Stream handover_stream = ctx_.stream("handover_arrests");
  for (const auto& [r, trafficked] : handed) {
    ++t[int(Series::handed_over)];
    ++t[int(trafficked ? Series::handed_over_trafficked : Series::handed_over_voluntary)];
    auto draws = handover_stream.draws(r, day);
    if (!trafficked || draws.bernoulli(ctx_.params.workers.trafficked_arrest_on_return_probability))
      justice_.arrest(r, Offence::handed_over, day, draws);
  }
  return captured_in;
}

// A raid is counted and logged; it may take the leaders and financiers of
// the compound's group; a group left without leaders is dismantled, else
// the compound may move.
void RaidsModule::consequences(std::int64_t c, std::int64_t captured, std::int32_t day) {
  Compounds& cps = ctx_.world.compounds;
  Groups& groups = ctx_.world.groups;
  DayCounts& t = ctx_.today(day);
  const std::uint8_t j = cps.jurisdiction[c];
  const std::uint16_t g = cps.group[c];
  ++t[int(Series::raids)];
  groups_.note_raid(j);
  ctx_.log_event(day, EventType::raid, c, j, g, captured);
  if (captured > 0) ctx_.log_event(day, EventType::handover, c, j, g, captured);
  auto draws = ctx_.stream("raid_leadership").draws(static_cast<std::uint64_t>(c), day);
  const std::int64_t leaders = draws.binomial(groups.leaders[g], levers_.raids[j].leader_arrest_probability);
  const std::int64_t financiers = draws.binomial(groups.financiers[g], levers_.raids[j].financier_arrest_probability);
  groups.leaders[g] -= static_cast<std::int32_t>(leaders);
  groups.financiers[g] -= static_cast<std::int32_t>(financiers);
  t[int(Series::leaders_arrested)] += leaders;
  t[int(Series::financiers_arrested)] += financiers;
  if (leaders > 0) ctx_.log_event(day, EventType::leader_arrest, c, j, g, leaders);
  if (financiers > 0) ctx_.log_event(day, EventType::financier_arrest, c, j, g, financiers);
  if (groups.leaders[g] == 0) {
    groups_.dismantle(g, day);
    return;
  }
  auto move = ctx_.stream("relocation").draws(static_cast<std::uint64_t>(c), day);
  if (cps.open[c] && move.bernoulli(ctx_.params.groups.relocation_probability)) {
    const std::int64_t to = groups_.pick_jurisdiction_with_room(j, move.uniform(), day);
    if (to >= 0) {
      cps.jurisdiction[c] = static_cast<std::uint8_t>(to);
      ++t[int(Series::relocations)];
      ctx_.log_event(day, EventType::relocation, c, to, g, cps.workforce[c]);
    }
  }
}

}  // namespace fraudsim::model
