// Recruitment under the guise of high-salary jobs: offers reach job seekers
// through online adverts (in proportion to the compounds' empty places and
// their groups' leadership) and through social ties to people already
// abroad; a recruit who accepts must get out of the country, by a regular
// border post or through a smuggler, past exit control, and joins a
// compound with room, some held by force.
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
  DayCounts& t = today(day);
  Compounds& cps = world_.compounds;
  const Levers& levers = world_.levers;

  std::vector<double> vacancies(static_cast<std::size_t>(cps.size()), 0.0);
  double total_vacancies = 0, advertised = 0;
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    vacancies[c] = std::max(0.0, compound_capacity(c, day) - cps.workforce[c]);
    total_vacancies += vacancies[c];
    // A group that has lost leaders recruits less.
    advertised += vacancies[c] * world_.groups.leaders[cps.group[c]] / static_cast<double>(scenario_.groups.leaders_per_group);
  }
  const double salary_pull = engine::det::exp(
      p.salary_elasticity * engine::det::log(p.offered_salary_yuan_per_month / p.home_salary_yuan_per_month));

  // Illegal crossings today: what the free smugglers can take, rounded up
  // with the probability of the fraction so the mean is exact at any scale.
  auto route_draws = engine::Stream(seed_, "smuggling_capacity").draws(0, day);
  std::int64_t free_smugglers = 0;
  for (const ResidentId r : world_.smugglers) free_smugglers += world_.residents.at_home(r);
  const double capacity = static_cast<double>(free_smugglers) * scenario_.smuggling.crossings_per_smuggler_per_day;
  std::int64_t crossings_left =
      static_cast<std::int64_t>(capacity) + (route_draws.bernoulli(capacity - std::floor(capacity)) ? 1 : 0);

  // One offer to one job seeker: accept, get out, join a compound.
  auto consider = [&](ResidentId r, double trust, engine::Draws& draws) {
    const Residents& res = world_.residents;
    if (!res.at_home(r) || !res.job_seeker[r]) return;
    ++t[int(Series::job_offers)];
    const double reoffend = res.convicted[r] ? scenario_.justice.reoffending_factor : 1.0;
    const double accept = std::min(1.0, p.acceptance_probability * salary_pull * trust * reoffend) *
                          (1.0 - awareness(r, day)) * (1.0 - levers.recruit_deterrence);
    if (!draws.bernoulli(accept)) return;
    if (draws.bernoulli(p.illegal_exit_share)) {
      if (world_.smugglers.empty() || crossings_left <= 0) return;  // no way across today
      --crossings_left;
      if (draws.bernoulli(levers.smuggling_block_probability)) {
        ++t[int(Series::exits_blocked)];
        if (draws.bernoulli(levers.smuggler_arrest_probability)) {
          const std::size_t k = draws.below(world_.smugglers.size());
          const ResidentId smuggler = world_.smugglers[k];
          if (arrest(smuggler, Offence::smuggling, day, draws)) {
            world_.smugglers.erase(world_.smugglers.begin() + static_cast<std::ptrdiff_t>(k));
            ++world_.smugglers_missing;
            ++t[int(Series::smugglers_arrested)];
          }
        }
        return;
      }
    } else if (draws.bernoulli(levers.exit_block_probability)) {
      ++t[int(Series::exits_blocked)];
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
    ++t[int(Series::recruits)];
  };

  // Ties: only workers present before today's recruits send offers.
  const std::int64_t senders = world_.workers.size();

  // Adverts: offers in proportion to advertised places, to job seekers at random.
  auto advert_draws = engine::Stream(seed_, "advert_offers").draws(0, day);
  const std::int64_t adverts = advert_draws.poisson(p.advert_offers_per_vacancy_per_day * advertised);
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
