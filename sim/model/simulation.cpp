#include "model/simulation.hpp"

#include <cassert>
#include <cmath>
#include <numbers>
#include <sstream>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"

namespace fraudsim::model {

Simulation::Simulation(Scenario scenario, std::uint64_t seed)
    : scenario_(std::move(scenario)), seed_(seed), calendar_(scenario_.start_date, scenario_.end_date) {
  daily_.reserve(static_cast<std::size_t>(calendar_.num_days()));
  populate();
  plan_ = make_plan();
}

// The day, in order. Each phase is a function over whole populations.
engine::DayPlan Simulation::make_plan() {
  engine::DayPlan plan;
  plan.then("interventions", [this](std::int32_t d) { apply_interventions(d); })
      .then("public_awareness", [this](std::int32_t d) { update_public_awareness(d); })
      .then("recruitment", [this](std::int32_t d) { recruit(d); })
      .then("leaving_compounds", [this](std::int32_t d) { leave_compounds(d); })
      .then("scam_contacts", [this](std::int32_t d) { make_scam_contacts(d); })
      .then("investigation", [this](std::int32_t d) { investigate(d); })
      .then("record_stocks", [this](std::int32_t d) { record_stocks(d); });
  return plan;
}

void Simulation::step() {
  assert(!finished());
  daily_.push_back(DayCounts{});
  plan_.run_day(day_);
  ++day_;
}

void Simulation::run(const std::function<void(std::int32_t, std::int32_t)>& progress) {
  while (!finished()) {
    step();
    if (progress) progress(day_, calendar_.num_days());
  }
}

void Simulation::populate() {
  const Scenario& s = scenario_;
  const std::int64_t n = s.num_residents();
  Residents& res = world_.residents;
  res.region.resize(n);
  res.age_band.resize(n);
  res.status.assign(n, static_cast<std::uint8_t>(Status::home));
  res.job_seeker.resize(n);
  res.victimisations.assign(n, 0);
  res.susceptibility_class.resize(n);
  // The factor of each class: the lognormal quantile at its midpoint, found by
  // bisection on the normal distribution function.
  for (int k = 0; k < 256; ++k) {
    const double p = (k + 0.5) / 256.0;
    double low = -10, high = 10;
    for (int iteration = 0; iteration < 100; ++iteration) {
      const double mid = 0.5 * (low + high);
      (0.5 * engine::det::erfc(-mid / std::numbers::sqrt2) < p ? low : high) = mid;
    }
    susceptibility_of_class_[k] = engine::det::exp(s.victims.individual_susceptibility_log_sd * 0.5 * (low + high));
  }
  res.awareness.assign(n, 0.0f);
  res.awareness_day.assign(n, 0);

  // Regions are contiguous blocks of ids (their order carries no meaning);
  // age band and job seeking are drawn per resident.
  std::vector<std::int64_t> region_end;
  double cumulative = 0;
  for (const Region& region : s.regions) {
    cumulative += region.population_share;
    region_end.push_back(std::min<std::int64_t>(n, std::llround(cumulative * static_cast<double>(n))));
  }
  region_end.back() = n;
  const engine::Stream traits(seed_, "resident_traits");
  engine::parallel_for(n, [&](std::int64_t i) {
    std::uint8_t region = 0;
    while (i >= region_end[region]) ++region;
    auto draws = traits.draws(static_cast<std::uint64_t>(i), 0);
    double u = draws.uniform(), below = 0;
    std::uint8_t band = 0;
    for (; band + 1u < s.age_bands.size(); ++band) {
      below += s.age_bands[band].population_share;
      if (u < below) break;
    }
    res.region[i] = region;
    res.age_band[i] = band;
    const double seeking = s.regions[region].job_seeker_share * s.age_bands[band].job_seeking_factor;
    res.job_seeker[i] = draws.bernoulli(seeking) ? 1 : 0;
    res.susceptibility_class[i] = static_cast<std::uint8_t>(draws.below(256));
  });
  world_.job_seekers_by_region.assign(s.regions.size(), {});
  for (std::int64_t i = 0; i < n; ++i)
    if (res.job_seeker[i]) {
      world_.job_seekers.push_back(static_cast<ResidentId>(i));
      world_.job_seekers_by_region[res.region[i]].push_back(static_cast<ResidentId>(i));
    }

  // Compounds and the workforce they hold at the start date.
  Compounds& cps = world_.compounds;
  std::int64_t group_offset = 0;
  const engine::Stream initial(seed_, "initial_workers");
  for (std::size_t j = 0; j < s.jurisdictions.size(); ++j) {
    const Jurisdiction& jur = s.jurisdictions[j];
    const std::int64_t first = cps.size();
    for (std::int64_t k = 0; k < jur.compounds; ++k) {
      cps.jurisdiction.push_back(static_cast<std::uint8_t>(j));
      cps.group.push_back(static_cast<std::uint16_t>(group_offset + k % jur.groups));
      cps.initial_capacity.push_back(jur.capacity_per_compound / static_cast<double>(s.scale));
      cps.workforce.push_back(0);
    }
    group_offset += jur.groups;
    // Those abroad at the start were recruited from job seekers like later
    // recruits; if there are too few job seekers, from anyone at home.
    const std::int64_t workers = std::llround(jur.initial_workforce / static_cast<double>(s.scale));
    const auto& pool = world_.job_seekers;
    for (std::int64_t k = 0; k < workers; ++k) {
      auto draws = initial.draws((static_cast<std::uint64_t>(j) << 40) + static_cast<std::uint64_t>(k), 0);
      ResidentId r;
      int tries = 0;
      do r = ++tries < 64 && !pool.empty() ? pool[draws.below(pool.size())]
                                           : static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
      while (res.status[r] != static_cast<std::uint8_t>(Status::home));
      add_worker(r, static_cast<std::uint16_t>(first + k % jur.compounds), draws.bernoulli(s.recruitment.trafficked_share));
    }
  }
  world_.public_awareness = s.awareness.initial_public;
}

void Simulation::add_worker(ResidentId r, std::uint16_t compound, bool trafficked) {
  world_.residents.status[r] = static_cast<std::uint8_t>(Status::abroad);
  world_.workers.resident.push_back(r);
  world_.workers.compound.push_back(compound);
  world_.workers.trafficked.push_back(trafficked ? 1 : 0);
  ++world_.compounds.workforce[compound];
}

double Simulation::compound_capacity(std::int64_t compound, std::int32_t day) const {
  const Compounds& cps = world_.compounds;
  const double growth = scenario_.jurisdictions[cps.jurisdiction[compound]].capacity_growth_per_year;
  return cps.initial_capacity[compound] * engine::det::exp(engine::det::log1p(growth) * day / 365.25);
}

double Simulation::personal_awareness(ResidentId r, std::int32_t day) const {
  const Residents& res = world_.residents;
  const double stored = res.awareness[r];
  if (stored == 0.0) return 0.0;
  const double elapsed = day - res.awareness_day[r];
  return stored * engine::det::exp(-std::numbers::ln2 * elapsed / scenario_.awareness.personal_half_life_days);
}

double Simulation::awareness(ResidentId r, std::int32_t day) const {
  return 1.0 - (1.0 - world_.public_awareness) * (1.0 - personal_awareness(r, day));
}

void Simulation::raise_awareness(ResidentId r, std::int32_t day, double gain) {
  const double now = personal_awareness(r, day);
  world_.residents.awareness[r] = static_cast<float>(1.0 - (1.0 - now) * (1.0 - gain));
  world_.residents.awareness_day[r] = day;
}

void Simulation::apply_interventions(std::int32_t day) {
  world_.levers = Levers{};
  const engine::Date date = calendar_.date(day);
  for (const auto& intervention : scenario_.interventions.items()) {
    const double strength = intervention->strength(date);
    if (strength > 0.0) intervention->apply(world_.levers, strength);
  }
}

void Simulation::update_public_awareness(std::int32_t) {
  const Awareness& a = scenario_.awareness;
  double& level = world_.public_awareness;
  level = a.public_floor + (level - a.public_floor) * engine::det::exp(-std::numbers::ln2 / a.public_half_life_days);
  level += (1.0 - level) * world_.levers.public_awareness_reach_per_day;
}

void Simulation::record_stocks(std::int32_t day) {
  DayCounts& today = daily_[static_cast<std::size_t>(day)];
  today[int(Series::workers_abroad)] = world_.workers.size();
  std::int64_t trafficked = 0;
  for (const std::uint8_t t : world_.workers.trafficked) trafficked += t;
  today[int(Series::trafficked_workers_abroad)] = trafficked;
  today[int(Series::open_cases)] = world_.open_cases;
}

std::string Simulation::check_invariants() const {
  std::ostringstream problems;
  const Residents& res = world_.residents;
  if (res.size() != scenario_.num_residents())
    problems << "residents: " << res.size() << " agents, expected " << scenario_.num_residents() << "\n";
  std::int64_t abroad = 0;
  for (const std::uint8_t s : res.status) abroad += s == static_cast<std::uint8_t>(Status::abroad);
  if (abroad != world_.workers.size())
    problems << "residents abroad: " << abroad << ", workers in compounds: " << world_.workers.size() << "\n";
  std::vector<std::int32_t> workforce(static_cast<std::size_t>(world_.compounds.size()), 0);
  for (std::int64_t w = 0; w < world_.workers.size(); ++w) {
    ++workforce[world_.workers.compound[w]];
    if (res.status[world_.workers.resident[w]] != static_cast<std::uint8_t>(Status::abroad))
      problems << "worker " << w << " is resident " << world_.workers.resident[w] << " who is not abroad\n";
  }
  if (workforce != world_.compounds.workforce) problems << "compound workforce differs from the workers present\n";
  if (world_.open_cases < 0) problems << "open cases negative\n";
  return problems.str();
}

}  // namespace fraudsim::model
