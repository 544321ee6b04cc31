// Each offer has its own stream, keyed by the advert or the sender, so the
// part of an offer that only reads the world (who gets it, would they
// accept) is drawn in parallel; what changes the world (crossings, arrests,
// joining a compound) is applied afterwards in the order of the offers. A
// resident's status only goes from home to away during this phase, so an
// offer decided in parallel is still valid unless its target left earlier
// in the same pass: those are few and checked against a short list.
#include "model/recruitment.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "engine/prefetch.hpp"

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

// Residents who left home during a pass (recruited or arrested), as a bit
// per hash bucket: a clear bit says "not gone" without touching the
// resident; a set one is confirmed against their status.
class GoneToday {
 public:
  void mark(ResidentId r) { bits_[bucket(r) >> 6] |= 1ull << (bucket(r) & 63); }
  bool left(const Residents& res, ResidentId r) const {
    return ((bits_[bucket(r) >> 6] >> (bucket(r) & 63)) & 1) && !res.at_home(r);
  }

 private:
  static std::uint32_t bucket(ResidentId r) { return static_cast<std::uint32_t>((r * 0x9E3779B97F4A7C15ull) >> 48); }
  std::vector<std::uint64_t> bits_ = std::vector<std::uint64_t>(1024, 0);
};
}  // namespace

struct RecruitmentModule::Pass {
  Pass(std::int32_t day, DayCounts& t) : day(day), t(t) {}
  std::int32_t day;
  DayCounts& t;
  std::vector<double> vacancies;  // by compound, taken as recruits arrive
  double total_vacancies = 0, advertised = 0;
  double salary_pull = 0;
  GoneToday gone;
};

struct RecruitmentModule::Offer {
  engine::Draws draws;  // after the decision's draws
  ResidentId target;
  bool eligible;        // at home and seeking work
  bool accepted;
};

// A worker's offers to their ties today: the first decided in advance if it
// is the only one.
struct RecruitmentModule::TieOffers {
  std::int64_t worker;
  std::int64_t count;
  Offer first;
};

void RecruitmentModule::recruit(std::int32_t day) {
  const Recruitment& p = ctx_.params.recruitment;
  Pass pass(day, ctx_.today(day));
  count_vacancies(pass);
  pass.salary_pull = engine::det::exp(
      p.salary_elasticity * engine::det::log(p.offered_salary_yuan_per_month / p.home_salary_yuan_per_month));
  smuggling_.open_crossings(day);
  // Ties: only workers present before today's recruits send offers.
  const std::int64_t senders = ctx_.world.workers.size();
  send_adverts(pass);
  send_tie_offers(pass, senders);
}

void RecruitmentModule::count_vacancies(Pass& pass) const {
  const Compounds& cps = ctx_.world.compounds;
  pass.vacancies.assign(static_cast<std::size_t>(cps.size()), 0.0);
  for (std::int64_t c = 0; c < cps.size(); ++c) {
    if (!cps.open[c]) continue;
    const double free_places = compounds_.capacity(c, pass.day) - static_cast<double>(cps.all_workers(c));
    pass.vacancies[c] = std::max(0.0, free_places);
    pass.total_vacancies += pass.vacancies[c];
    // A group that has lost leaders recruits less. Net, as for the other
    // origins: a compound filled past its capacity by a whole agent offsets
    // the room left in others (counting only the room would raise the
    // adverts at a coarse scale, where a compound holds one or two agents).
    pass.advertised += free_places * ctx_.world.groups.leaders[cps.group[c]] /
                       static_cast<double>(ctx_.params.groups.leaders_per_group);
  }
  pass.advertised = std::max(0.0, pass.advertised);
}

// Would the job seeker accept? Reads the world only. False, with no draw,
// if the resident is not at home or not seeking work.
bool RecruitmentModule::decide(const Pass& pass, ResidentId r, double trust, engine::Draws& draws, bool& eligible) const {
  const Recruitment& p = ctx_.params.recruitment;
  const Residents& res = ctx_.world.residents;
  eligible = res.at_home(r) && res.job_seeker(r);
  if (!eligible) return false;
  const double reoffend = res.convicted(r) ? ctx_.params.justice.reoffending_factor : 1.0;
  const double accept = std::min(1.0, p.acceptance_probability * pass.salary_pull * trust * reoffend) *
                        (1.0 - awareness_.of(r, pass.day)) * (1.0 - levers_.recruit_deterrence);
  return draws.bernoulli(accept);
}

// An accepted offer: get out, join a compound.
void RecruitmentModule::go(Pass& pass, ResidentId r, engine::Draws& draws) {
  const Recruitment& p = ctx_.params.recruitment;
  const Levers& levers = levers_;
  DayCounts& t = pass.t;
  if (draws.bernoulli(p.illegal_exit_share)) {
    if (!smuggling_.take_crossing()) return;  // no way across today
    if (draws.bernoulli(levers.smuggling_block_probability)) {
      ++t[int(Series::exits_blocked)];
      if (draws.bernoulli(levers.smuggler_arrest_probability))
        if (const auto smuggler = smuggling_.arrest_one(pass.day, draws)) pass.gone.mark(*smuggler);
      return;
    }
  } else if (draws.bernoulli(levers.exit_block_probability)) {
    ++t[int(Series::exits_blocked)];
    return;
  }
  if (pass.total_vacancies < 1.0) return;  // no room anywhere: the offer is withdrawn
  const std::int64_t num_compounds = ctx_.world.compounds.size();
  double pick = draws.uniform() * pass.total_vacancies;
  std::int64_t c = 0;
  while (c + 1 < num_compounds && pick >= pass.vacancies[c]) pick -= pass.vacancies[c++];
  compounds_.add_worker(r, static_cast<std::uint16_t>(c), draws.bernoulli(p.trafficked_share));
  pass.gone.mark(r);
  const double taken = std::min(1.0, pass.vacancies[c]);
  pass.vacancies[c] -= taken;
  pass.total_vacancies -= taken;
  ++t[int(Series::recruits)];
}

// One offer decided in parallel, applied in order.
void RecruitmentModule::apply(Pass& pass, Offer& offer) {
  if (!offer.eligible || pass.gone.left(ctx_.world.residents, offer.target)) return;
  ++pass.t[int(Series::job_offers)];
  if (offer.accepted) go(pass, offer.target, offer.draws);
}

// One offer decided and applied now.
void RecruitmentModule::consider(Pass& pass, ResidentId r, double trust, engine::Draws& draws) {
  bool eligible;
  const bool accepted = decide(pass, r, trust, draws, eligible);
  if (!eligible) return;
  ++pass.t[int(Series::job_offers)];
  if (accepted) go(pass, r, draws);
}

// Adverts: offers in proportion to advertised places, to job seekers at random.
void RecruitmentModule::send_adverts(Pass& pass) {
  const Recruitment& p = ctx_.params.recruitment;
  const auto& job_seekers = ctx_.world.job_seekers;
  auto advert_draws = ctx_.stream("advert_offers").draws(0, pass.day);
  const std::int64_t adverts =
      job_seekers.empty() ? 0 : advert_draws.poisson(p.advert_offers_per_vacancy_per_day * pass.advertised);
  const engine::Stream advert_decisions = ctx_.stream("advert_decisions");
  std::vector<Offer> offers(static_cast<std::size_t>(adverts));
  // In blocks, in three passes, since each read is a cache miss at large
  // scales: every target's place in the pool is drawn and fetched, then
  // every target's columns, before the first is decided.
  constexpr std::int64_t block = 32;
  const Residents& res = ctx_.world.residents;
  engine::parallel_for(
      (adverts + block - 1) / block,
      [&](std::int64_t b) {
        const std::int64_t first = b * block, end = std::min(adverts, (b + 1) * block);
        std::array<std::size_t, block> place;
        for (std::int64_t k = first; k < end; ++k) {
          Offer& offer = offers[k];
          offer.draws = advert_decisions.draws(static_cast<std::uint64_t>(k), pass.day);
          place[k - first] = offer.draws.below(job_seekers.size());
          engine::prefetch(&job_seekers[place[k - first]]);
        }
        for (std::int64_t k = first; k < end; ++k) {
          Offer& offer = offers[k];
          offer.target = job_seekers[place[k - first]];
          engine::prefetch(&res.state[offer.target]);
          engine::prefetch(&res.awareness[offer.target]);
          engine::prefetch(&res.awareness_day[offer.target]);
        }
        for (std::int64_t k = first; k < end; ++k)
          offers[k].accepted = decide(pass, offers[k].target, 1.0, offers[k].draws, offers[k].eligible);
      },
      /*grain=*/2);
  for (Offer& offer : offers) apply(pass, offer);
}

// Ties: most senders send no offer today. Each sender's count is drawn in
// parallel, and a sender's only offer decided there too; a sender with more
// (rare) is done in order from the start, since the later offers' draws
// follow whatever the earlier ones drew.
void RecruitmentModule::send_tie_offers(Pass& pass, std::int64_t senders) {
  const Recruitment& p = ctx_.params.recruitment;
  const World& world = ctx_.world;
  const engine::Stream tie_offers = ctx_.stream("tie_offers"), ties = ctx_.stream("social_ties");
  const engine::PoissonTable offers_of_a_sender(p.tie_offers_per_worker_per_day);
  const auto sending = engine::parallel_gather<TieOffers>(senders, [&](std::int64_t w, auto emit) {
    const ResidentId sender = world.workers.resident[w];
    TieOffers offers{w, 0, Offer{tie_offers.draws(sender, pass.day), sender, false, false}};
    offers.count = offers_of_a_sender.draw(offers.first.draws);
    if (offers.count == 0) return;
    if (offers.count == 1) {
      Offer& offer = offers.first;
      offer.target = tie_of(world, ties, sender, offer.draws.below(static_cast<std::uint64_t>(p.ties_per_resident)));
      offer.accepted = decide(pass, offer.target, p.tie_trust_factor, offer.draws, offer.eligible);
    }
    emit(offers);
  });
  for (TieOffers offers : sending) {
    if (offers.count == 1) {
      apply(pass, offers.first);
      continue;
    }
    const ResidentId sender = world.workers.resident[offers.worker];
    engine::Draws draws = offers.first.draws;  // just after the count
    for (std::int64_t k = 0; k < offers.count; ++k) {
      const ResidentId tie = tie_of(world, ties, sender, draws.below(static_cast<std::uint64_t>(p.ties_per_resident)));
      consider(pass, tie, p.tie_trust_factor, draws);
    }
  }
}

}  // namespace fraudsim::model
