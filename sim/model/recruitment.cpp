// Recruitment under the guise of high-salary jobs: offers reach job seekers
// through online adverts (in proportion to the compounds' empty places and
// their groups' leadership) and through social ties to people already
// abroad; a recruit who accepts must get out of the country, by a regular
// border post or through a smuggler, past exit control, and joins a
// compound with room, some held by force.
//
// Each offer has its own stream, keyed by the advert or the sender, so the
// part of an offer that only reads the world (who gets it, would they
// accept) is drawn in parallel; what changes the world (crossings, arrests,
// joining a compound) is applied afterwards in the order of the offers. A
// resident's status only goes from home to away during this phase, so an
// offer decided in parallel is still valid unless its target left earlier
// in the same pass: those are few and checked against a short list.
#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

namespace {
// The j-th social tie of a resident: a job seeker of the same region, chosen
// by a hash of (seed, resident, j), so ties cost no memory and stay fixed
// for the whole run.
ResidentId tie_of(const World& world, const engine::Stream& ties, ResidentId r, std::uint64_t j) {
  const auto pool = world.job_seekers_in(world.residents.region(r));
  if (pool.empty()) return r;
  auto draws = ties.draws(r, static_cast<std::int64_t>(j));
  return pool[draws.below(pool.size())];
}

// An offer decided against the world as it was when the phase began.
struct Offer {
  engine::Draws draws;  // after the decision's draws
  ResidentId target;
  bool eligible;        // at home and seeking work
  bool accepted;
};
// A worker's offers to their ties today: the first decided in advance if it
// is the only one.
struct TieOffers {
  std::int64_t worker;
  std::int64_t count;
  Offer first;
};
}  // namespace

void Simulation::recruit(std::int32_t day) {
  const Recruitment& p = params_.recruitment;
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
    advertised += vacancies[c] * world_.groups.leaders[cps.group[c]] / static_cast<double>(params_.groups.leaders_per_group);
  }
  const double salary_pull = engine::det::exp(
      p.salary_elasticity * engine::det::log(p.offered_salary_yuan_per_month / p.home_salary_yuan_per_month));

  // Illegal crossings today: what the free smugglers can take, rounded up
  // with the probability of the fraction so the mean is exact at any scale.
  auto route_draws = engine::Stream(seed_, "smuggling_capacity").draws(0, day);
  std::int64_t free_smugglers = 0;
  for (const ResidentId r : world_.smugglers) free_smugglers += world_.residents.at_home(r);
  const double capacity = static_cast<double>(free_smugglers) * params_.smuggling.crossings_per_smuggler_per_day;
  std::int64_t crossings_left =
      static_cast<std::int64_t>(capacity) + (route_draws.bernoulli(capacity - std::floor(capacity)) ? 1 : 0);

  // Would the job seeker accept? Reads the world only. False, with no draw,
  // if the resident is not at home or not seeking work.
  auto decide = [&](ResidentId r, double trust, engine::Draws& draws, bool& eligible) {
    const Residents& res = world_.residents;
    eligible = res.at_home(r) && res.job_seeker(r);
    if (!eligible) return false;
    const double reoffend = res.convicted(r) ? params_.justice.reoffending_factor : 1.0;
    const double accept = std::min(1.0, p.acceptance_probability * salary_pull * trust * reoffend) *
                          (1.0 - awareness(r, day)) * (1.0 - levers.recruit_deterrence);
    return draws.bernoulli(accept);
  };
  // Residents who left home during this pass (recruited or arrested), as a
  // bit per hash bucket: a clear bit says "not gone" without touching the
  // resident; a set one is confirmed against their status.
  std::vector<std::uint64_t> gone_bits(1024, 0);
  auto bucket = [](ResidentId r) { return static_cast<std::uint32_t>((r * 0x9E3779B97F4A7C15ull) >> 48); };
  auto mark_gone = [&](ResidentId r) { gone_bits[bucket(r) >> 6] |= 1ull << (bucket(r) & 63); };
  auto left_today = [&](ResidentId r) {
    return ((gone_bits[bucket(r) >> 6] >> (bucket(r) & 63)) & 1) && !world_.residents.at_home(r);
  };

  // An accepted offer: get out, join a compound.
  auto go = [&](ResidentId r, engine::Draws& draws) {
    if (draws.bernoulli(p.illegal_exit_share)) {
      if (world_.smugglers.empty() || crossings_left <= 0) return;  // no way across today
      --crossings_left;
      if (draws.bernoulli(levers.smuggling_block_probability)) {
        ++t[int(Series::exits_blocked)];
        if (draws.bernoulli(levers.smuggler_arrest_probability)) {
          const std::size_t k = draws.below(world_.smugglers.size());
          const ResidentId smuggler = world_.smugglers[k];
          if (arrest(smuggler, Offence::smuggling, day, draws)) {
            mark_gone(smuggler);
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
    mark_gone(r);
    const double taken = std::min(1.0, vacancies[c]);
    vacancies[c] -= taken;
    total_vacancies -= taken;
    ++t[int(Series::recruits)];
  };
  // One offer decided in parallel, applied in order.
  auto apply = [&](Offer& offer) {
    if (!offer.eligible || left_today(offer.target)) return;
    ++t[int(Series::job_offers)];
    if (offer.accepted) go(offer.target, offer.draws);
  };
  // One offer decided and applied now.
  auto consider = [&](ResidentId r, double trust, engine::Draws& draws) {
    bool eligible;
    const bool accepted = decide(r, trust, draws, eligible);
    if (!eligible) return;
    ++t[int(Series::job_offers)];
    if (accepted) go(r, draws);
  };

  // Ties: only workers present before today's recruits send offers.
  const std::int64_t senders = world_.workers.size();

  // Adverts: offers in proportion to advertised places, to job seekers at random.
  auto advert_draws = engine::Stream(seed_, "advert_offers").draws(0, day);
  const std::int64_t adverts =
      world_.job_seekers.empty() ? 0 : advert_draws.poisson(p.advert_offers_per_vacancy_per_day * advertised);
  const engine::Stream advert_decisions(seed_, "advert_decisions");
  std::vector<Offer> offers(static_cast<std::size_t>(adverts));
  engine::parallel_for(
      adverts,
      [&](std::int64_t k) {
        Offer& offer = offers[k];
        offer.draws = advert_decisions.draws(static_cast<std::uint64_t>(k), day);
        offer.target = world_.job_seekers[offer.draws.below(world_.job_seekers.size())];
        offer.accepted = decide(offer.target, 1.0, offer.draws, offer.eligible);
      },
      /*grain=*/64);
  for (Offer& offer : offers) apply(offer);

  // Ties: most senders send no offer today. Each sender's count is drawn in
  // parallel, and a sender's only offer decided there too; a sender with
  // more (rare) is done in order from the start, since the later offers'
  // draws follow whatever the earlier ones drew.
  const engine::Stream tie_offers(seed_, "tie_offers"), ties(seed_, "social_ties");
  const auto sending = engine::parallel_gather<TieOffers>(senders, [&](std::int64_t w, auto emit) {
    const ResidentId sender = world_.workers.resident[w];
    TieOffers offers{w, 0, Offer{tie_offers.draws(sender, day), sender, false, false}};
    offers.count = offers.first.draws.poisson(p.tie_offers_per_worker_per_day);
    if (offers.count == 0) return;
    if (offers.count == 1) {
      Offer& offer = offers.first;
      offer.target = tie_of(world_, ties, sender, offer.draws.below(static_cast<std::uint64_t>(p.ties_per_resident)));
      offer.accepted = decide(offer.target, p.tie_trust_factor, offer.draws, offer.eligible);
    }
    emit(offers);
  });
  for (TieOffers offers : sending) {
    if (offers.count == 1) {
      apply(offers.first);
      continue;
    }
    const ResidentId sender = world_.workers.resident[offers.worker];
    engine::Draws draws = offers.first.draws;  // just after the count
    for (std::int64_t k = 0; k < offers.count; ++k) {
      const ResidentId tie = tie_of(world_, ties, sender, draws.below(static_cast<std::uint64_t>(p.ties_per_resident)));
      consider(tie, p.tie_trust_factor, draws);
    }
  }
}

}  // namespace fraudsim::model
