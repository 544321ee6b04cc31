#include "model/contacts.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "engine/prefetch.hpp"

namespace fraudsim::model {

ContactsModule::ContactsModule(const Context& ctx, const Levers& levers, const AdaptationModule& adaptation,
                               AwarenessModule& awareness, VictimisationModule& victimisation, const MarketsModule& markets)
    : ctx_(ctx), levers_(levers), adaptation_(adaptation), awareness_(awareness), victimisation_(victimisation),
      markets_(markets), born_(ctx) {
  // The factor of each susceptibility class: the lognormal quantile at its
  // midpoint, found by bisection on the normal distribution function.
  for (int k = 0; k < 256; ++k) {
    const double p = (k + 0.5) / 256.0;
    double low = -10, high = 10;
    for (int iteration = 0; iteration < 100; ++iteration) {
      const double mid = 0.5 * (low + high);
      (0.5 * engine::det::erfc(-mid / std::numbers::sqrt2) < p ? low : high) = mid;
    }
    susceptibility_of_class_[k] =
        engine::det::exp(ctx.params.victims.individual_susceptibility_log_sd * 0.5 * (low + high));
  }
}

void ContactsModule::contact(std::int32_t day) {
  set_odds();
  // The workers of a compound share its phone cards, domains and scripts:
  // their attempts are drawn together (a sum of independent Poisson counts).
  const std::int64_t num_compounds = ctx_.world.compounds.size();
  events_.resize(static_cast<std::size_t>(num_compounds));
  counts_.assign(static_cast<std::size_t>(num_compounds), ContactCounts{});
  // Domains taken down today are counted per compound.
  const engine::Stream takedowns = ctx_.stream("domain_takedowns"), attempts = ctx_.stream("scam_attempts");
  // Compounds are few and each does much work: small chunks balance the threads.
  engine::parallel_for(
      num_compounds, [&](std::int64_t c) { attempt(c, day, takedowns, attempts); }, /*grain=*/4);
  apply(day);
}

void ContactsModule::set_odds() {
  const Parameters& s = ctx_.params;
  const World& w = ctx_.world;
  const Compounds& cps = w.compounds;
  const std::vector<double>& category_effort = adaptation_.category_effort();
  Odds& odds = odds_;

  // Calls and messages need phone cards: a group short of them makes only
  // the share its cards support.
  std::vector<std::int64_t> group_workforce(static_cast<std::size_t>(w.groups.size()), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c)
    if (cps.open[c]) group_workforce[cps.group[c]] += cps.workforce[c];
  const auto& mix = adaptation_.channel_effort();
  const double phone_effort = mix[int(Channel::call)] + mix[int(Channel::sms)];
  odds.phone_share.assign(static_cast<std::size_t>(w.groups.size()), 1.0);
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    const double wanted =
        static_cast<double>(group_workforce[g]) * (s.workers.attempts_per_day * markets_.home_share()) * phone_effort;
    const double possible = static_cast<double>(w.groups.sim_cards[g].size()) * s.cards.sim_attempts_per_card_per_day;
    odds.phone_share[g] = wanted > possible ? possible / wanted : 1.0;
  }

  odds.category_cumulative.clear();
  odds.engagement.clear();
  odds.age_susceptibility.clear();
  double cumulative = 0;
  for (std::size_t k = 0; k < s.fraud_categories.size(); ++k)
    odds.category_cumulative.push_back(cumulative += category_effort[k]);
  for (const FraudCategory& category : s.fraud_categories)
    odds.engagement.push_back(category.engagement_probability * s.victims.engagement_factor);
  for (const AgeBand& band : s.age_bands) odds.age_susceptibility.push_back(band.susceptibility_factor);
  odds.sms_given_not_call = mix[1] >= 1.0 - mix[0] ? 1.0 : mix[1] / std::max(1e-300, 1.0 - mix[0]);

  double most_engaging = 0;
  for (std::size_t k = 0; k < odds.engagement.size(); ++k)
    if (category_effort[k] > 0) most_engaging = std::max(most_engaging, odds.engagement[k]);
  most_engaging *= *std::max_element(odds.age_susceptibility.begin(), odds.age_susceptibility.end()) *
                   susceptibility_of_class_.back() * std::max(1.0, s.victims.repeat_victim_factor) *
                   (1.0 - awareness_.public_level());
  odds.most_engaging = std::min(1.0, most_engaging);
  // Bounds by script and class, a little above the product they bound, so
  // that a draw at or above one is at or above the rounded engagement too.
  const double any_person = *std::max_element(odds.age_susceptibility.begin(), odds.age_susceptibility.end()) *
                            std::max(1.0, s.victims.repeat_victim_factor) * (1.0 - awareness_.public_level()) *
                            (1.0 + 1e-9);
  odds.class_bound.resize(odds.engagement.size() * 256);
  odds.category_bound.assign(odds.engagement.size(), 0.0);
  for (std::size_t k = 0; k < odds.engagement.size(); ++k)
    for (int c = 0; c < 256; ++c) {
      odds.class_bound[k * 256 + c] = odds.engagement[k] * susceptibility_of_class_[c] * any_person;
      odds.category_bound[k] = std::max(odds.category_bound[k], odds.class_bound[k * 256 + c]);
    }
  odds.home_share =
      static_cast<double>(w.residents.size() - w.workers.size() - w.detained) / static_cast<double>(w.residents.size());
}

// One compound's attempts today; writes only its own events and counts.
void ContactsModule::attempt(std::int64_t c, std::int32_t day, const engine::Stream& takedowns,
                             const engine::Stream& attempts_stream) {
  const Parameters& s = ctx_.params;
  const World& w = ctx_.world;
  const Compounds& cps = w.compounds;
  const Levers& levers = levers_;
  const Odds& odds = odds_;
  const auto& mix = adaptation_.channel_effort();
  std::vector<ContactEvent>& events = events_[c];
  ContactCounts& counts = counts_[c];
  events.clear();
  if (!cps.open[c]) return;
  {
    // Domains are rounded to agents with the probability of the fraction, so
    // the count is exact in expectation at any scale. Online attempts fail
    // at the take-down rate.
    auto draws = takedowns.draws(static_cast<std::uint64_t>(c), day);
    const double expected = s.workers.domains_per_worker * cps.workforce[c];
    const auto domains = static_cast<std::int64_t>(expected) + (draws.bernoulli(expected - std::floor(expected)) ? 1 : 0);
    counts.domains_blocked = draws.binomial(domains, levers.block_probability[int(Channel::online)]);
  }
  if (cps.workforce[c] == 0) return;
  auto draws = attempts_stream.draws(static_cast<std::uint64_t>(c), day);
  // Home-country workers aim only part of their effort at the home country
  // (MarketsModule); without foreign markets the share is exactly 1.
  const std::int64_t attempts = draws.poisson((s.workers.attempts_per_day * markets_.home_share()) * cps.workforce[c]);
  const std::int64_t calls_wanted = draws.binomial(attempts, mix[0]);
  const std::int64_t sms_wanted = draws.binomial(attempts - calls_wanted, odds.sms_given_not_call);
  const std::int64_t online = attempts - calls_wanted - sms_wanted;
  const double share = odds.phone_share[cps.group[c]];
  const std::int64_t calls = draws.binomial(calls_wanted, share);
  const std::int64_t sms = draws.binomial(sms_wanted, share);
  counts.no_phone_card = calls_wanted + sms_wanted - calls - sms;
  counts.calls_blocked = draws.binomial(calls, levers.block_probability[int(Channel::call)]);
  counts.sms_blocked = draws.binomial(sms, levers.block_probability[int(Channel::sms)]);
  counts.online_blocked = draws.binomial(online, levers.block_probability[int(Channel::online)]);
  const std::int64_t passed = calls + sms + online - counts.calls_blocked - counts.sms_blocked - counts.online_blocked;

  counts.delivered = draws.binomial(passed, odds.home_share);
  reach(counts.delivered, day, draws, events);
}

// Each delivered attempt reaches a resident drawn uniformly; one who is
// abroad or detained is not there. Those who are there engage with a
// probability no higher than `most_engaging`: draw the candidates who might
// engage at that bound, then accept each with the ratio of their own
// probability to it. This is exact (thinning) and touches only residents who
// might act on the contact, and those warned from a lead: a warned
// candidate decides with the awareness the warning gave; the recipients of
// the other contacts warned are drawn as their count.
void ContactsModule::reach(std::int64_t delivered, std::int32_t day, engine::Draws& draws,
                           std::vector<ContactEvent>& events) const {
  const Parameters& s = ctx_.params;
  const Residents& residents = ctx_.world.residents;
  const Odds& odds = odds_;
  const double lead_share = levers_.lead_warning_share;
  const double public_awareness = awareness_.public_level();
  const std::uint64_t num_residents = static_cast<std::uint64_t>(residents.size());
  // Whether a resident is at home is known from the blocks of those away
  // for most ids (Residents::at_home), without reading their state.
  const auto someone_at_home = [&] {
    ResidentId target = static_cast<ResidentId>(draws.below(num_residents));
    while (!residents.at_home(target)) target = static_cast<ResidentId>(draws.below(num_residents));
    return target;
  };
  const std::int64_t candidates = draws.binomial(delivered, odds.most_engaging);
  // A candidate who passes the bounds decides with their awareness, a cache
  // miss at large scales: it is prefetched when they pass and read
  // `decide_later` passes on, in the same order, so the events are the same.
  struct Passed {
    ResidentId target;
    std::uint8_t category, age_band, susceptibility_class;
    bool warned;
    double engage_u;
  };
  constexpr std::size_t decide_later = 8;
  std::array<Passed, decide_later> passed;
  std::size_t first_passed = 0, num_passed = 0;
  const auto decide = [&](const Passed& p) {
    double unaware = (1.0 - public_awareness) * (1.0 - awareness_.personal(p.target, day));
    if (p.warned) unaware *= 1.0 - s.victims.awareness_after_warning;
    double engage = odds.engagement[p.category] * odds.age_susceptibility[p.age_band] *
                    susceptibility_of_class_[p.susceptibility_class] * unaware;
    if (residents.victimised(p.target)) engage *= s.victims.repeat_victim_factor;
    const bool deceived = p.engage_u < engage;
    if (p.warned || deceived) events.push_back(ContactEvent{p.target, p.category, p.warned, deceived});
  };
  for (std::int64_t k = 0; k < candidates; ++k) {
    const ResidentId target = someone_at_home();
    const double category_u = draws.uniform();
    const double engage_u = draws.uniform() * odds.most_engaging;
    const bool warned = draws.bernoulli(lead_share);
    // The first script whose cumulative effort is above u (the last if none
    // is): counted without a branch, as the efforts only add up.
    std::uint8_t category = 0;
    for (std::size_t c = 0; c + 1 < odds.category_cumulative.size(); ++c)
      category = static_cast<std::uint8_t>(category + (category_u >= odds.category_cumulative[c]));
    // Most candidates cannot be deceived whatever their age, awareness and
    // history: their script's bound, then their class's bound decides it
    // (computed, not read), and the rest of the person (two more columns,
    // each a cache miss at large scales) is not read.
    if (!warned && engage_u >= odds.category_bound[category]) continue;
    const std::array<std::uint64_t, 4> born = born_.numbers(target);
    const std::uint8_t susceptibility_class = BornTraits::susceptibility_class_of(born[2]);
    if (!warned && engage_u >= odds.class_bound[category * 256u + susceptibility_class]) continue;
    engine::prefetch(&residents.awareness[target]);
    engine::prefetch(&residents.awareness_day[target]);
    engine::prefetch(&residents.state[target]);  // whether they were deceived before
    if (num_passed == decide_later) {
      decide(passed[first_passed]);
      first_passed = (first_passed + 1) % decide_later;
      --num_passed;
    }
    passed[(first_passed + num_passed++) % decide_later] =
        Passed{target, category, born_.age_band_of(born[0]), susceptibility_class, warned, engage_u};
  }
  for (; num_passed > 0; --num_passed, first_passed = (first_passed + 1) % decide_later) decide(passed[first_passed]);
  const std::int64_t others_warned = draws.binomial(delivered - candidates, lead_share);
  for (std::int64_t k = 0; k < others_warned; ++k)
    events.push_back(ContactEvent{someone_at_home(), 0, true, false});
}

// Counts and the cons begun, in compound order; then the warnings, which
// raise the awareness of residents anywhere in the population. Those are
// applied in parallel over ranges of ids: each range's task goes through
// every event in order and applies those of its residents, so each
// resident's warnings apply in the same order, and the result is the same,
// whatever the number of ranges (one per thread).
void ContactsModule::apply(std::int32_t day) {
  const Victims& v = ctx_.params.victims;
  const World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  for (std::size_t i = 0; i < events_.size(); ++i) {
    const ContactCounts& counts = counts_[i];
    t[int(Series::domains_blocked)] += counts.domains_blocked;
    t[int(Series::calls_blocked)] += counts.calls_blocked;
    t[int(Series::sms_blocked)] += counts.sms_blocked;
    t[int(Series::online_attempts_blocked)] += counts.online_blocked;
    t[int(Series::contacts_delivered)] += counts.delivered;
    t[int(Series::attempts_without_phone_card)] += counts.no_phone_card;
    const std::uint16_t group = w.compounds.group[i];
    for (const ContactEvent& event : events_[i]) {
      t[int(Series::people_warned)] += event.warned;
      if (event.deceived) victimisation_.begin(event.target, group, event.category, day);
    }
  }
  const auto residents = static_cast<std::uint64_t>(w.residents.size());
  const auto ranges = static_cast<std::uint64_t>(std::max(1, engine::ThreadLimit::active()));
  if (warned_.size() < ranges) warned_.resize(ranges);
  engine::parallel_for(
      static_cast<std::int64_t>(ranges),
      [&](std::int64_t range) {
        const auto k = static_cast<std::uint64_t>(range);
        const auto first = static_cast<ResidentId>(residents * k / ranges);
        const auto end = static_cast<ResidentId>(residents * (k + 1) / ranges);
        // The range's warned residents in order, then their awareness
        // raised, each a cache miss prefetched some residents ahead (across
        // the compounds' lists, most of which are short).
        std::vector<ResidentId>& warned = warned_[static_cast<std::size_t>(range)];
        warned.clear();
        for (const std::vector<ContactEvent>& events : events_)
          for (const ContactEvent& event : events)
            if (event.warned && event.target >= first && event.target < end) warned.push_back(event.target);
        constexpr std::size_t prefetch_distance = 16;
        for (std::size_t e = 0; e < warned.size(); ++e) {
          if (e + prefetch_distance < warned.size()) {
            engine::prefetch(&w.residents.awareness[warned[e + prefetch_distance]]);
            engine::prefetch(&w.residents.awareness_day[warned[e + prefetch_distance]]);
          }
          awareness_.raise(warned[e], day, v.awareness_after_warning);
        }
      },
      /*grain=*/1);
}

}  // namespace fraudsim::model
