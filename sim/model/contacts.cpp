// Scam contacts: the workers of each compound make attempts by call, SMS and
// online channel, with the effort gangs put on each; calls and messages need
// phone cards. Interception blocks some per channel (blocked attempts are drawn
// as counts, since they touch no resident); each delivered attempt reaches a
// resident, who may engage, be stopped by early warning, or pay into one of
// the group's mule cards and perhaps report it.
#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

void Simulation::make_scam_contacts(std::int32_t day) {
  const Parameters& s = params_;
  World& w = world_;
  DayCounts& t = today(day);
  const Levers& levers = w.levers;
  const Compounds& cps = w.compounds;

  // Domains taken down today, counted per compound; domains are rounded to
  // agents with the probability of the fraction, so the count is exact in
  // expectation at any scale. Online attempts fail at the take-down rate.
  const engine::Stream takedowns(seed_, "domain_takedowns");
  std::vector<std::int64_t> group_workforce(static_cast<std::size_t>(w.groups.size()), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c)
    if (cps.open[c]) group_workforce[cps.group[c]] += cps.workforce[c];

  // Calls and messages need phone cards: a group short of them makes only
  // the share its cards support.
  const double phone_effort = w.channel_effort[int(Channel::call)] + w.channel_effort[int(Channel::sms)];
  std::vector<double> phone_share(static_cast<std::size_t>(w.groups.size()), 1.0);
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    const double wanted = static_cast<double>(group_workforce[g]) * s.workers.attempts_per_day * phone_effort;
    const double possible = static_cast<double>(w.groups.sim_cards[g].size()) * s.cards.sim_attempts_per_card_per_day;
    phone_share[g] = wanted > possible ? possible / wanted : 1.0;
  }

  std::vector<double> category_cumulative, dissuasion;
  double cumulative = 0;
  for (std::size_t k = 0; k < s.fraud_categories.size(); ++k) {
    category_cumulative.push_back(cumulative += w.category_effort[k]);
    dissuasion.push_back(std::min(1.0, levers.dissuasion_probability * s.fraud_categories[k].detectability));
  }
  std::vector<double> engagement, age_susceptibility;
  for (const FraudCategory& category : s.fraud_categories)
    engagement.push_back(category.engagement_probability * s.victims.engagement_factor);
  for (const AgeBand& band : s.age_bands) age_susceptibility.push_back(band.susceptibility_factor);
  const auto& mix = w.channel_effort;
  const double sms_given_not_call = mix[1] >= 1.0 - mix[0] ? 1.0 : mix[1] / std::max(1e-300, 1.0 - mix[0]);

  // The highest engagement probability any contact can have today.
  double most_engaging = 0;
  for (std::size_t k = 0; k < engagement.size(); ++k)
    if (w.category_effort[k] > 0) most_engaging = std::max(most_engaging, engagement[k]);
  most_engaging *= *std::max_element(age_susceptibility.begin(), age_susceptibility.end()) *
                   susceptibility_of_class_.back() * std::max(1.0, s.victims.repeat_victim_factor) *
                   (1.0 - w.public_awareness);
  most_engaging = std::min(1.0, most_engaging);
  const double home_share =
      static_cast<double>(w.residents.size() - w.workers.size() - w.detained) / static_cast<double>(w.residents.size());

  // The workers of a compound share its phone cards, domains and scripts:
  // their attempts are drawn together (a sum of independent Poisson counts).
  const std::int64_t num_compounds = cps.size();
  contact_events_.resize(static_cast<std::size_t>(num_compounds));
  contact_counts_.assign(static_cast<std::size_t>(num_compounds), ContactCounts{});
  const std::uint64_t num_residents = static_cast<std::uint64_t>(w.residents.size());
  const engine::Stream attempts_stream(seed_, "scam_attempts");

  // Compounds are few and each does much work: small chunks balance the threads.
  engine::parallel_for(
      num_compounds,
      [&](std::int64_t c) {
        std::vector<ContactEvent>& events = contact_events_[c];
        ContactCounts& counts = contact_counts_[c];
        events.clear();
        if (!cps.open[c]) return;
        {
          auto draws = takedowns.draws(static_cast<std::uint64_t>(c), day);
          const double expected = s.workers.domains_per_worker * cps.workforce[c];
          const auto domains = static_cast<std::int64_t>(expected) + (draws.bernoulli(expected - std::floor(expected)) ? 1 : 0);
          counts.domains_blocked = draws.binomial(domains, levers.block_probability[int(Channel::online)]);
        }
        if (cps.workforce[c] == 0) return;
        auto draws = attempts_stream.draws(static_cast<std::uint64_t>(c), day);
        const std::int64_t attempts = draws.poisson(s.workers.attempts_per_day * cps.workforce[c]);
        const std::int64_t calls_wanted = draws.binomial(attempts, mix[0]);
        const std::int64_t sms_wanted = draws.binomial(attempts - calls_wanted, sms_given_not_call);
        const std::int64_t online = attempts - calls_wanted - sms_wanted;
        const double share = phone_share[cps.group[c]];
        const std::int64_t calls = draws.binomial(calls_wanted, share);
        const std::int64_t sms = draws.binomial(sms_wanted, share);
        counts.no_phone_card = calls_wanted + sms_wanted - calls - sms;
        counts.calls_blocked = draws.binomial(calls, levers.block_probability[int(Channel::call)]);
        counts.sms_blocked = draws.binomial(sms, levers.block_probability[int(Channel::sms)]);
        counts.online_blocked = draws.binomial(online, levers.block_probability[int(Channel::online)]);
        const std::int64_t passed = calls + sms + online - counts.calls_blocked - counts.sms_blocked - counts.online_blocked;

        // Each attempt that passed goes to a resident drawn uniformly; one who
        // is abroad or detained is not there. Those who are there engage with
        // a probability no higher than `most_engaging`: draw the candidates
        // who might engage at that bound, then accept each with the ratio of
        // their own probability to it. This is exact (thinning) and touches
        // only residents who might act on the contact.
        counts.delivered = draws.binomial(passed, home_share);
        const std::int64_t candidates = draws.binomial(counts.delivered, most_engaging);
        for (std::int64_t k = 0; k < candidates; ++k) {
          ResidentId target;
          do target = static_cast<ResidentId>(draws.below(num_residents));
          while (!w.residents.at_home(target));
          const double category_u = draws.uniform();
          const double engage_u = draws.uniform() * most_engaging;
          std::uint8_t category = 0;
          while (category + 1u < category_cumulative.size() && category_u >= category_cumulative[category]) ++category;
          const double unaware = (1.0 - w.public_awareness) * (1.0 - personal_awareness(target, day));
          double engage = engagement[category] * age_susceptibility[w.residents.age_band[target]] *
                          susceptibility_of_class_[w.residents.susceptibility_class[target]] * unaware;
          if (w.residents.victimisations[target] > 0) engage *= s.victims.repeat_victim_factor;
          if (engage_u >= engage) continue;
          if (draws.bernoulli(dissuasion[category])) {
            events.push_back(ContactEvent{target, category, true, false, 0});
            continue;
          }
          const FraudCategory& cat = s.fraud_categories[category];
          const double loss = draws.lognormal(engine::det::log(cat.loss_median_yuan), cat.loss_log_sd);
          const double report = s.victims.report_probability +
                                (s.victims.report_probability_aware - s.victims.report_probability) * (1.0 - unaware);
          events.push_back(ContactEvent{target, category, false, draws.bernoulli(report),
                                        std::max<std::int64_t>(1, std::llround(loss))});
        }
      },
      /*grain=*/4);

  // Apply in compound order: the same result whatever the thread count.
  const engine::Stream card_choice(seed_, "mule_card_choice");
  for (std::int64_t i = 0; i < num_compounds; ++i) {
    const ContactCounts& counts = contact_counts_[i];
    t[int(Series::domains_blocked)] += counts.domains_blocked;
    t[int(Series::calls_blocked)] += counts.calls_blocked;
    t[int(Series::sms_blocked)] += counts.sms_blocked;
    t[int(Series::online_attempts_blocked)] += counts.online_blocked;
    t[int(Series::contacts_delivered)] += counts.delivered;
    t[int(Series::attempts_without_phone_card)] += counts.no_phone_card;
    const std::uint16_t group = cps.group[i];
    for (const ContactEvent& event : contact_events_[i]) {
      if (event.dissuaded) {
        ++t[int(Series::people_dissuaded)];
        raise_awareness(event.target, day, s.victims.awareness_after_dissuasion);
        continue;
      }
      // The victim pays into one of the group's mule cards; without one the
      // payment cannot be taken.
      auto& cards = w.groups.bank_cards[group];
      if (cards.empty()) {
        ++t[int(Series::payments_failed_no_card)];
        continue;
      }
      auto draws = card_choice.draws(event.target, day);
      const CardId card = cards[draws.below(cards.size())];
      if (--w.cards.uses_left[card] <= 0) deactivate_card(card, CardState::used_up);
      const auto payment = static_cast<std::uint32_t>(w.payments.size());
      w.payments.push_back({event.target, group, event.category, card, day});
      w.transfers.push_back({event.loss_yuan, payment, card, group, 0, false,
                             day + static_cast<std::int32_t>(s.laundering.hops[0].delay_days)});
      hop_flows_[static_cast<std::size_t>(calendar_.month_of(day))][0].entered_yuan += event.loss_yuan;
      if (options_.record_transactions)
        w.transactions.push_back({day, static_cast<std::int64_t>(event.target), card_account(card), event.loss_yuan,
                                  payment, /*hop: from the victim*/ 0, false, false});
      total_losses_ += event.loss_yuan;

      ++t[int(Series::victims)];
      t[int(Series::losses_yuan)] += event.loss_yuan;
      std::uint8_t& times = w.residents.victimisations[event.target];
      if (times < 255) ++times;
      raise_awareness(event.target, day, s.victims.awareness_after_victimisation);
      if (event.reported) {
        ++t[int(Series::registered_cases)];
        w.open_cases.push_back(card);
      }
    }
  }
}

}  // namespace fraudsim::model
