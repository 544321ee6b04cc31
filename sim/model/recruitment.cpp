// Recruitment under the guise of high-salary jobs: offers reach job seekers
// through online adverts (in proportion to the compounds' empty places) and
// through social ties to people already abroad; a recruit who accepts must
// pass exit control, then joins a compound with room, some held by force.
#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

namespace {
// The j-th social tie of a resident: a job seeker of the same region, chosen
// by a hash of (seed, resident, j), so ties cost no memory and stay fixed
// for the whole run.
ResidentId tie_of(const World& world, std::uint64_t seed, ResidentId r, std::uint64_t j) {
  const auto& pool = world.job_seekers_by_region[world.residents.region[r]];
  if (pool.empty()) return r;
  auto draws = engine::Stream(seed, "social_ties").draws(r, static_cast<std::int64_t>(j));
  return pool[draws.below(pool.size())];
}
}  // namespace

void Simulation::recruit(std::int32_t day) {
  const Recruitment& p = scenario_.recruitment;
  DayCounts& today = daily_[static_cast<std::size_t>(day)];
  Compounds& cps = world_.compounds;

  std::vector<double> vacancies(static_cast<std::size_t>(cps.size()));
  double total_vacancies = 0;
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    vacancies[c] = std::max(0.0, compound_capacity(c, day) - cps.workforce[c]);
    total_vacancies += vacancies[c];
  }
  const double salary_pull = engine::det::exp(
      p.salary_elasticity * engine::det::log(p.offered_salary_yuan_per_month / p.home_salary_yuan_per_month));

  // One offer to one job seeker: accept, pass exit control, join a compound.
  auto consider = [&](ResidentId r, double trust, engine::Draws& draws) {
    if (world_.residents.status[r] != static_cast<std::uint8_t>(Status::home) || !world_.residents.job_seeker[r]) return;
    ++today[int(Series::job_offers)];
    const double accept = std::min(1.0, p.acceptance_probability * salary_pull * trust) * (1.0 - awareness(r, day)) *
                          (1.0 - world_.levers.recruit_deterrence);
    if (!draws.bernoulli(accept)) return;
    if (draws.bernoulli(world_.levers.exit_block_probability)) {
      ++today[int(Series::exits_blocked)];
      return;
    }
    if (total_vacancies < 1.0) return;  // no room anywhere: the offer is withdrawn
    double pick = draws.uniform() * total_vacancies;
    std::int64_t c = 0;
    while (c + 1 < cps.size() && pick >= vacancies[c]) pick -= vacancies[c++];
    add_worker(r, static_cast<std::uint16_t>(c), draws.bernoulli(p.trafficked_share));
    const double taken = std::min(1.0, vacancies[c]);
    vacancies[c] -= taken;
    total_vacancies -= taken;
    ++today[int(Series::recruits)];
  };

  // Ties: only workers present before today's recruits send offers.
  const std::int64_t senders = world_.workers.size();

  // Adverts: offers in proportion to empty places, to job seekers at random.
  auto advert_draws = engine::Stream(seed_, "advert_offers").draws(0, day);
  const std::int64_t adverts = advert_draws.poisson(p.advert_offers_per_vacancy_per_day * total_vacancies);
  const engine::Stream advert_decisions(seed_, "advert_decisions");
  for (std::int64_t k = 0; k < adverts && !world_.job_seekers.empty(); ++k) {
    auto draws = advert_decisions.draws(static_cast<std::uint64_t>(k), day);
    consider(world_.job_seekers[draws.below(world_.job_seekers.size())], 1.0, draws);
  }

  const engine::Stream tie_offers(seed_, "tie_offers");
  for (std::int64_t w = 0; w < senders; ++w) {
    const ResidentId sender = world_.workers.resident[w];
    auto draws = tie_offers.draws(sender, day);
    const std::int64_t offers = draws.poisson(p.tie_offers_per_worker_per_day);
    for (std::int64_t k = 0; k < offers; ++k) {
      const ResidentId tie = tie_of(world_, seed_, sender, draws.below(static_cast<std::uint64_t>(p.ties_per_resident)));
      consider(tie, p.tie_trust_factor, draws);
    }
  }
}

}  // namespace fraudsim::model
