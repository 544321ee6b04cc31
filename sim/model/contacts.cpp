// Scam contacts: every worker makes attempts by call, SMS and online
// channel; interception blocks some per channel (blocked attempts are drawn
// as counts, since they touch no resident); each delivered attempt reaches a
// resident, who may engage, be stopped by early warning, or pay and perhaps
// report it.
#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "model/simulation.hpp"

namespace fraudsim::model {

void Simulation::make_scam_contacts(std::int32_t day) {
  const Scenario& s = scenario_;
  World& w = world_;
  DayCounts& today = daily_[static_cast<std::size_t>(day)];
  const Levers& levers = w.levers;

  // Online attempts are spread over each compound's domains; a domain taken
  // down today fails every attempt routed through it.
  const std::int64_t num_compounds = w.compounds.size();
  std::vector<double> online_blocked_share(static_cast<std::size_t>(num_compounds), 0.0);
  std::vector<std::uint8_t> online_open(static_cast<std::size_t>(num_compounds), 0);
  const engine::Stream takedowns(seed_, "domain_takedowns");
  for (std::int64_t c = 0; c < num_compounds; ++c) {
    // Domains in agent units, rounded up with the probability of the
    // fraction, so that their expected number is exact at any scale.
    auto draws = takedowns.draws(static_cast<std::uint64_t>(c), day);
    const double expected = s.workers.domains_per_worker * w.compounds.workforce[c];
    const auto domains = static_cast<std::int64_t>(expected) + (draws.bernoulli(expected - std::floor(expected)) ? 1 : 0);
    if (domains <= 0) continue;  // no domains: no online attempt goes out
    const std::int64_t taken_down = draws.binomial(domains, levers.block_probability[int(Channel::online)]);
    today[int(Series::domains_blocked)] += taken_down;
    online_blocked_share[c] = static_cast<double>(taken_down) / static_cast<double>(domains);
    online_open[c] = 1;
  }

  std::vector<double> category_cumulative;
  double cumulative = 0;
  for (const FraudCategory& category : s.fraud_categories) category_cumulative.push_back(cumulative += category.effort_share);
  const auto& mix = s.channels.effort_share;
  const double sms_given_not_call = mix[1] >= 1.0 - mix[0] ? 1.0 : mix[1] / std::max(1e-300, 1.0 - mix[0]);

  const std::int64_t num_workers = w.workers.size();
  contact_events_.resize(static_cast<std::size_t>(num_workers));
  contact_counts_.assign(static_cast<std::size_t>(num_workers), ContactCounts{});
  const std::uint64_t num_residents = static_cast<std::uint64_t>(w.residents.size());
  const engine::Stream attempts_stream(seed_, "scam_attempts");
  std::vector<double> engagement, age_susceptibility;
  for (const FraudCategory& category : s.fraud_categories) engagement.push_back(category.engagement_probability);
  for (const AgeBand& band : s.age_bands) age_susceptibility.push_back(band.susceptibility_factor);

  // Workers are few and each does much work: small chunks balance the threads.
  engine::parallel_for(
      num_workers,
      [&](std::int64_t i) {
    std::vector<ContactEvent>& events = contact_events_[i];
    ContactCounts& counts = contact_counts_[i];
    events.clear();
    auto draws = attempts_stream.draws(w.workers.resident[i], day);
    const std::int64_t attempts = draws.poisson(s.workers.attempts_per_day);
    const std::int64_t calls = draws.binomial(attempts, mix[0]);
    const std::int64_t sms = draws.binomial(attempts - calls, sms_given_not_call);
    // A compound without a domain today cannot make online attempts.
    const std::int64_t online = online_open[w.workers.compound[i]] ? attempts - calls - sms : 0;
    counts.calls_blocked = draws.binomial(calls, levers.block_probability[int(Channel::call)]);
    counts.sms_blocked = draws.binomial(sms, levers.block_probability[int(Channel::sms)]);
    counts.online_blocked = draws.binomial(online, online_blocked_share[w.workers.compound[i]]);
    const std::int64_t passed = calls + sms + online - counts.calls_blocked - counts.sms_blocked - counts.online_blocked;

    for (std::int64_t k = 0; k < passed; ++k) {
      const auto target = static_cast<ResidentId>(draws.below(num_residents));
      const double category_u = draws.uniform();
      const double engage_u = draws.uniform();
      if (w.residents.status[target] != static_cast<std::uint8_t>(Status::home)) continue;  // no one there
      ++counts.delivered;
      std::uint8_t category = 0;
      while (category + 1u < category_cumulative.size() && category_u >= category_cumulative[category]) ++category;
      const double unaware = (1.0 - w.public_awareness) * (1.0 - personal_awareness(target, day));
      double engage = engagement[category] * age_susceptibility[w.residents.age_band[target]] *
                      susceptibility_of_class_[w.residents.susceptibility_class[target]] * unaware;
      if (w.residents.victimisations[target] > 0) engage *= s.victims.repeat_victim_factor;
      if (engage_u >= engage) continue;
      if (draws.bernoulli(levers.dissuasion_probability)) {
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

  // Apply in worker order: the same result whatever the thread count.
  for (std::int64_t i = 0; i < num_workers; ++i) {
    const ContactCounts& counts = contact_counts_[i];
    today[int(Series::calls_blocked)] += counts.calls_blocked;
    today[int(Series::sms_blocked)] += counts.sms_blocked;
    today[int(Series::online_attempts_blocked)] += counts.online_blocked;
    today[int(Series::contacts_delivered)] += counts.delivered;
    for (const ContactEvent& event : contact_events_[i]) {
      if (event.dissuaded) {
        ++today[int(Series::people_dissuaded)];
        raise_awareness(event.target, day, s.victims.awareness_after_dissuasion);
        continue;
      }
      ++today[int(Series::victims)];
      today[int(Series::losses_yuan)] += event.loss_yuan;
      std::uint8_t& times = w.residents.victimisations[event.target];
      if (times < 255) ++times;
      raise_awareness(event.target, day, s.victims.awareness_after_victimisation);
      if (event.reported) {
        ++today[int(Series::registered_cases)];
        ++w.open_cases;
      }
    }
  }
}

}  // namespace fraudsim::model
