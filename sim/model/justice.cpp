#include "model/justice.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/det_math.hpp"

namespace fraudsim::model {

namespace {
// The series an arrest is counted under; the kinds add up to suspects_arrested.
Series arrest_kind(Offence offence) {
  switch (offence) {
    case Offence::card_selling: return Series::card_sellers_arrested;
    case Offence::laundering: return Series::launderers_arrested;
    case Offence::smuggling: return Series::smugglers_arrested;
    case Offence::fraud_abroad:
    case Offence::trafficked_returnee: return Series::returnees_arrested;
    case Offence::handed_over: return Series::handed_over_arrested;
    case Offence::case_suspect: return Series::case_suspects_arrested;
  }
  return Series::case_suspects_arrested;  // unreachable: every offence is listed
}
}  // namespace

bool JusticeModule::arrest(ResidentId r, Offence offence, std::int32_t day, engine::Draws& draws) {
  World& world = ctx_.world;
  if (!world.residents.at_home(r)) return false;
  const Justice& j = ctx_.params.justice;
  DayCounts& t = ctx_.today(day);
  ++t[int(Series::suspects_arrested)];
  ++t[int(arrest_kind(offence))];
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
  world.residents.set_status(r, Status::detained);
  ++world.detained;
  const std::int64_t release = day + days;
  // Sentences running past the end of the run are simply not released.
  if (release < ctx_.calendar.num_days()) releases_by_day_[static_cast<std::size_t>(release)].push_back(r);
  return true;
}

void JusticeModule::release(std::int32_t day) {
  World& world = ctx_.world;
  auto& releasing = releases_by_day_[static_cast<std::size_t>(day)];
  for (const ResidentId r : releasing) {
    world.residents.set_status(r, Status::home);
    world.residents.set_convicted(r);
  }
  world.detained -= static_cast<std::int64_t>(releasing.size());
  ctx_.today(day)[int(Series::released_from_detention)] += static_cast<std::int64_t>(releasing.size());
  std::vector<ResidentId>().swap(releasing);
}

void JusticeModule::record(std::int32_t day) { ctx_.today(day)[int(Series::detained)] = ctx_.world.detained; }

std::string JusticeModule::check() const {
  const Residents& res = ctx_.world.residents;
  std::int64_t detained = 0;
  for (std::int64_t r = 0; r < res.size(); ++r) detained += res.status(static_cast<ResidentId>(r)) == Status::detained;
  if (detained == ctx_.world.detained) return {};
  std::ostringstream problem;
  problem << "residents detained: " << detained << ", recorded: " << ctx_.world.detained << "\n";
  return problem.str();
}

}  // namespace fraudsim::model
