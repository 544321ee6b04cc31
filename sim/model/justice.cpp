// The justice pipeline: an arrested resident is punished administratively
// (a short detention) or detained under criminal law with a sentence of
// months to years (seed 003: "three months of detention to 11 years"),
// released when it ends, and more likely to offend again afterwards.
#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

bool Simulation::arrest(ResidentId r, Offence offence, std::int32_t day, engine::Draws& draws) {
  if (!world_.residents.at_home(r)) return false;
  const Justice& j = params_.justice;
  DayCounts& t = today(day);
  ++t[int(Series::suspects_arrested)];
  const double administrative =
      offence == Offence::card_selling ? j.administrative_share_card_sellers : j.administrative_share_others;
  std::int64_t days = 0;
  if (draws.bernoulli(administrative)) {
    ++t[int(Series::admin_punishments)];
    days = j.administrative_detention_days;
  } else {
    ++t[int(Series::criminal_detentions)];
    const double months = std::clamp(draws.lognormal(engine::det::log(j.sentence_median_months), j.sentence_log_sd),
                                     j.sentence_min_months, j.sentence_max_months);
    days = std::llround(months * 365.25 / 12.0);
  }
  if (offence == Offence::card_selling) ++t[int(Series::card_sellers_punished)];
  if (days <= 0) return true;
  world_.residents.set_status(r, Status::detained);
  ++world_.detained;
  const std::int64_t release = day + days;
  // Sentences running past the end of the run are simply not released.
  if (release < calendar_.num_days()) world_.releases_by_day[static_cast<std::size_t>(release)].push_back(r);
  return true;
}

void Simulation::release_detainees(std::int32_t day) {
  auto& releasing = world_.releases_by_day[static_cast<std::size_t>(day)];
  for (const ResidentId r : releasing) {
    world_.residents.set_status(r, Status::home);
    world_.residents.set_convicted(r);
  }
  world_.detained -= static_cast<std::int64_t>(releasing.size());
  today(day)[int(Series::released_from_detention)] += static_cast<std::int64_t>(releasing.size());
  std::vector<ResidentId>().swap(releasing);
}

}  // namespace fraudsim::model
