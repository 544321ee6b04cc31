#include "model/compounds.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/det_math.hpp"

namespace fraudsim::model {

CompoundsModule::CompoundsModule(const Context& ctx)
    : ctx_(ctx),
      workforce_by_month_(static_cast<std::size_t>(ctx.calendar.num_months())),
      jurisdiction_by_month_(static_cast<std::size_t>(ctx.calendar.num_months())),
      origin_workforce_by_month_(static_cast<std::size_t>(ctx.calendar.num_months())),
      foreign_(ctx.params.origins.size()),
      foreign_trafficked_(ctx.params.origins.size()),
      foreign_arrived_(ctx.params.origins.size(), 0),
      foreign_gone_(ctx.params.origins.size(), 0) {}

void CompoundsModule::open_initial() {
  std::int64_t first_group = 0;
  for (std::size_t j = 0; j < ctx_.params.jurisdictions.size(); ++j) {
    const Jurisdiction& jur = ctx_.params.jurisdictions[j];
    for (std::int64_t k = 0; k < jur.compounds; ++k)
      open(static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(first_group + k % jur.groups), -1);
    first_group += jur.groups;
  }
}

// A number of people as whole agents, rounded at random so that the mean
// is exact at any scale (10,000 workers at 1:3000 are 3 or 4 agents, 3.33
// on average; 2,000 at 1:5000 are one agent in five runs, not none). The
// draw, keyed past any worker's, is made only for a fraction.
std::int64_t CompoundsModule::agents_of(double people, const engine::Stream& stream, std::size_t index) const {
  const double agents = people / static_cast<double>(ctx_.params.scale);
  const auto whole = static_cast<std::int64_t>(std::floor(agents));
  const double fraction = agents - static_cast<double>(whole);
  if (fraction <= 0) return whole;
  auto draws = stream.draws((static_cast<std::uint64_t>(index) << 40) + ((std::uint64_t{1} << 40) - 1), 1);
  return whole + (draws.bernoulli(fraction) ? 1 : 0);
}

// Those abroad at the start were recruited from job seekers like later
// recruits; if there are too few job seekers, from anyone at home.
void CompoundsModule::place_initial_workers() {
  const Parameters& s = ctx_.params;
  const Residents& res = ctx_.world.residents;
  const auto& pool = ctx_.world.job_seekers;
  const std::int64_t n = res.size();
  const engine::Stream initial = ctx_.stream("initial_workers");
  std::int64_t first_compound = 0;
  for (std::size_t j = 0; j < s.jurisdictions.size(); ++j) {
    const Jurisdiction& jur = s.jurisdictions[j];
    const std::int64_t workers = agents_of(jur.initial_workforce, initial, j);
    for (std::int64_t k = 0; k < workers; ++k) {
      auto draws = initial.draws((static_cast<std::uint64_t>(j) << 40) + static_cast<std::uint64_t>(k), 0);
      ResidentId r;
      int tries = 0;
      do r = ++tries < 64 && !pool.empty() ? pool[draws.below(pool.size())]
                                           : static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
      while (!res.at_home(r));
      add_worker(r, static_cast<std::uint16_t>(first_compound + k % jur.compounds),
                 draws.bernoulli(s.recruitment.trafficked_share));
    }
    first_compound += jur.compounds;
  }
}

// Those of other origins at the start fill the places left, each agent in a
// compound drawn in proportion to its free places.
void CompoundsModule::place_initial_foreign_workers() {
  const Parameters& s = ctx_.params;
  const Compounds& cps = ctx_.world.compounds;
  const engine::Stream initial = ctx_.stream("initial_foreign_workers");
  const auto free_places = [&](std::int64_t c) { return std::max(0.0, capacity(c, 0) - cps.all_workers(c)); };
  for (std::size_t o = 0; o < s.origins.size(); ++o) {
    const std::int64_t workers = agents_of(s.origins[o].initial_workforce, initial, o);
    for (std::int64_t k = 0; k < workers; ++k) {
      auto draws = initial.draws((static_cast<std::uint64_t>(o) << 40) + static_cast<std::uint64_t>(k), 0);
      double free_total = 0;
      for (std::int64_t c = 0; c < cps.size(); ++c) free_total += free_places(c);
      std::int64_t c = 0;
      if (free_total > 0) {
        double pick = draws.uniform() * free_total;
        while (c + 1 < cps.size() && pick >= free_places(c)) pick -= free_places(c++);
      } else {
        c = k % cps.size();
      }
      const bool trafficked = draws.bernoulli(s.origins[o].trafficked_share);
      add_foreign(o, c, trafficked ? 0 : 1, trafficked ? 1 : 0);
    }
  }
}

void CompoundsModule::add_foreign(std::size_t origin, std::int64_t compound, std::int64_t voluntary,
                                  std::int64_t trafficked) {
  foreign_[origin][compound] += static_cast<std::int32_t>(voluntary + trafficked);
  foreign_trafficked_[origin][compound] += static_cast<std::int32_t>(trafficked);
  ctx_.world.compounds.foreign_workforce[compound] += static_cast<std::int32_t>(voluntary + trafficked);
  foreign_arrived_[origin] += voluntary + trafficked;
}

void CompoundsModule::remove_foreign(std::size_t origin, std::int64_t compound, std::int64_t voluntary,
                                     std::int64_t trafficked) {
  foreign_[origin][compound] -= static_cast<std::int32_t>(voluntary + trafficked);
  foreign_trafficked_[origin][compound] -= static_cast<std::int32_t>(trafficked);
  ctx_.world.compounds.foreign_workforce[compound] -= static_cast<std::int32_t>(voluntary + trafficked);
  foreign_gone_[origin] += voluntary + trafficked;
}

// A closed compound's workers of other origins go home.
std::int64_t CompoundsModule::release_foreign(std::int64_t compound, DayCounts& t) {
  std::int64_t released = 0;
  for (std::size_t o = 0; o < foreign_.size(); ++o) {
    const std::int64_t trafficked = foreign_trafficked_[o][compound];
    const std::int64_t voluntary = foreign_[o][compound] - trafficked;
    remove_foreign(o, compound, voluntary, trafficked);
    released += voluntary + trafficked;
  }
  t[int(Series::foreign_workers_left)] += released;
  return released;
}

void CompoundsModule::open(std::uint8_t jurisdiction, std::uint16_t group, std::int32_t day) {
  Compounds& cps = ctx_.world.compounds;
  std::int32_t serial = 0;
  for (std::int64_t c = 0; c < cps.size(); ++c) serial += cps.first_jurisdiction[c] == jurisdiction;
  cps.jurisdiction.push_back(jurisdiction);
  cps.first_jurisdiction.push_back(jurisdiction);
  cps.group.push_back(group);
  cps.initial_capacity.push_back(ctx_.params.jurisdictions[jurisdiction].capacity_per_compound /
                                 static_cast<double>(ctx_.params.scale));
  cps.workforce.push_back(0);
  cps.foreign_workforce.push_back(0);
  for (auto* by_origin : {&foreign_, &foreign_trafficked_})
    for (auto& counts : *by_origin) counts.push_back(0);
  cps.open.push_back(1);
  cps.opened_day.push_back(day);
  cps.closed_day.push_back(-1);
  cps.serial.push_back(serial + 1);
}

void CompoundsModule::close(std::int64_t compound, std::int32_t day) {
  World& w = ctx_.world;
  Compounds& cps = w.compounds;
  if (!cps.open[compound]) return;
  DayCounts& t = ctx_.today(day);
  std::vector<std::uint8_t> leaving(static_cast<std::size_t>(w.workers.size()), 0);
  std::int64_t released = 0;
  for (std::int64_t i = 0; i < w.workers.size(); ++i)
    if (w.workers.compound[i] == compound) {
      leaving[i] = 1;
      ++released;
      ++t[int(w.workers.trafficked[i] ? Series::returned_trafficked : Series::returned_voluntary)];
    }
  remove_workers(leaving);
  t[int(Series::released_on_closure)] += released;
  released += release_foreign(compound, t);
  cps.open[compound] = 0;
  cps.closed_day[compound] = day;
  ++t[int(Series::compounds_closed)];
  ctx_.log_event(day, EventType::compound_closed, compound, cps.jurisdiction[compound], cps.group[compound], released);
}

double CompoundsModule::capacity(std::int64_t compound, std::int32_t day) const {
  const Compounds& cps = ctx_.world.compounds;
  const double growth = ctx_.params.jurisdictions[cps.jurisdiction[compound]].capacity_growth_per_year;
  return cps.initial_capacity[compound] * engine::det::exp(engine::det::log1p(growth) * day / 365.25);
}

void CompoundsModule::add_worker(ResidentId r, std::uint16_t compound, bool trafficked) {
  World& w = ctx_.world;
  w.residents.set_status(r, Status::abroad);
  w.workers.resident.push_back(r);
  w.workers.compound.push_back(compound);
  w.workers.trafficked.push_back(trafficked ? 1 : 0);
  ++w.compounds.workforce[compound];
}

void CompoundsModule::remove_workers(const std::vector<std::uint8_t>& leaving) {
  World& w = ctx_.world;
  Workers& ws = w.workers;
  // Those before the first to leave stay where they are.
  const auto first = std::find_if(leaving.begin(), leaving.end(), [](std::uint8_t x) { return x != 0; }) - leaving.begin();
  std::int64_t kept = first;
  for (std::int64_t i = first; i < ws.size(); ++i) {
    if (leaving[i]) {
      w.residents.set_status(ws.resident[i], Status::home);
      --w.compounds.workforce[ws.compound[i]];
      continue;
    }
    ws.resident[kept] = ws.resident[i];
    ws.compound[kept] = ws.compound[i];
    ws.trafficked[kept] = ws.trafficked[i];
    ++kept;
  }
  ws.resident.resize(kept);
  ws.compound.resize(kept);
  ws.trafficked.resize(kept);
}

void CompoundsModule::record(std::int32_t day) {
  const World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  std::int64_t foreign = 0;
  for (std::int64_t c = 0; c < w.compounds.size(); ++c) foreign += w.compounds.foreign_workforce[c];
  t[int(Series::workers_abroad)] = w.workers.size() + foreign;
  t[int(Series::chinese_workers_abroad)] = w.workers.size();
  t[int(Series::foreign_workers_abroad)] = foreign;
  std::int64_t trafficked = 0, open = 0;
  for (const std::uint8_t x : w.workers.trafficked) trafficked += x;
  t[int(Series::trafficked_workers_abroad)] = trafficked;
  for (const std::uint8_t x : w.compounds.open) open += x;
  t[int(Series::compounds_open)] = open;

  if (ctx_.calendar.is_last_day_of_month(day)) {
    const auto month = static_cast<std::size_t>(ctx_.calendar.month_of(day));
    auto& workforce = workforce_by_month_[month];
    auto& where = jurisdiction_by_month_[month];
    workforce.assign(w.compounds.workforce.begin(), w.compounds.workforce.end());
    where.resize(static_cast<std::size_t>(w.compounds.size()));
    for (std::int64_t c = 0; c < w.compounds.size(); ++c) where[c] = w.compounds.open[c] ? w.compounds.jurisdiction[c] : -1;
    const std::size_t num_jurisdictions = ctx_.params.jurisdictions.size();
    auto& by_origin = origin_workforce_by_month_[month];
    by_origin.assign((1 + foreign_.size()) * num_jurisdictions, 0);
    for (std::int64_t c = 0; c < w.compounds.size(); ++c) {
      if (!w.compounds.open[c]) continue;
      const std::size_t j = w.compounds.jurisdiction[c];
      by_origin[j] += w.compounds.workforce[c];
      for (std::size_t o = 0; o < foreign_.size(); ++o) by_origin[(1 + o) * num_jurisdictions + j] += foreign_[o][c];
    }
  }
}

std::string CompoundsModule::check() const {
  std::ostringstream problems;
  const World& w = ctx_.world;
  const Residents& res = w.residents;
  std::int64_t abroad = 0;
  for (std::int64_t r = 0; r < res.size(); ++r) abroad += res.status(static_cast<ResidentId>(r)) == Status::abroad;
  if (abroad != w.workers.size())
    problems << "residents abroad: " << abroad << ", workers in compounds: " << w.workers.size() << "\n";
  std::vector<std::int32_t> workforce(static_cast<std::size_t>(w.compounds.size()), 0);
  for (std::int64_t i = 0; i < w.workers.size(); ++i) {
    ++workforce[w.workers.compound[i]];
    if (res.status(w.workers.resident[i]) != Status::abroad)
      problems << "worker " << i << " is resident " << w.workers.resident[i] << " who is not abroad\n";
    if (!w.compounds.open[w.workers.compound[i]]) problems << "worker " << i << " is in a closed compound\n";
  }
  if (workforce != w.compounds.workforce) problems << "compound workforce differs from the workers present\n";
  return problems.str() + check_foreign();
}

// Workers of other origins are neither created nor lost: each origin's
// workers present are its arrivals less its departures, a compound's
// foreign workforce is the sum over origins, and closed compounds hold none.
std::string CompoundsModule::check_foreign() const {
  std::ostringstream problems;
  const Compounds& cps = ctx_.world.compounds;
  std::vector<std::int64_t> by_compound(static_cast<std::size_t>(cps.size()), 0);
  for (std::size_t o = 0; o < foreign_.size(); ++o) {
    std::int64_t present = 0;
    for (std::int64_t c = 0; c < cps.size(); ++c) {
      present += foreign_[o][c];
      by_compound[c] += foreign_[o][c];
      if (foreign_trafficked_[o][c] < 0 || foreign_trafficked_[o][c] > foreign_[o][c])
        problems << "origin " << ctx_.params.origins[o].name << ": compound " << c << " holds "
                 << foreign_trafficked_[o][c] << " trafficked of " << foreign_[o][c] << " workers\n";
    }
    if (present != foreign_arrived_[o] - foreign_gone_[o])
      problems << "origin " << ctx_.params.origins[o].name << ": " << present << " workers present, " << foreign_arrived_[o]
               << " arrived and " << foreign_gone_[o] << " left\n";
  }
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (by_compound[c] != cps.foreign_workforce[c])
      problems << "compound " << c << ": foreign workforce " << cps.foreign_workforce[c] << ", by origin " << by_compound[c] << "\n";
    if (!cps.open[c] && cps.foreign_workforce[c] != 0) problems << "closed compound " << c << " holds foreign workers\n";
  }
  return problems.str();
}

}  // namespace fraudsim::model
