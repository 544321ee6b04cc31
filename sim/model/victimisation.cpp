#include "model/victimisation.hpp"

#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "engine/prefetch.hpp"

namespace fraudsim::model {

void VictimisationModule::begin(ResidentId victim, std::uint16_t group, std::uint8_t category, std::int32_t day) {
  cons_.push_back(Con{next_id_++, victim, no_card, 0, 0.0, day, group, category, 0});
}

// Serial, in the order the cons began: payments draw on the group's mule
// cards, which each payment may use up, so their order must not depend on
// threads. Cons are few (a victimisation per several thousand residents a
// year), but each reads its victim's columns, a cache miss each at large
// scales: those of a con a few places on are fetched first.
void VictimisationModule::pay(std::int32_t day) {
  constexpr std::size_t prefetch_distance = 8;
  const Residents& res = ctx_.world.residents;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < cons_.size(); ++i) {
    if (i + prefetch_distance < cons_.size() && cons_[i + prefetch_distance].due_day == day) {
      const ResidentId ahead = cons_[i + prefetch_distance].victim;
      engine::prefetch(&res.state[ahead]);
      engine::prefetch(&res.awareness[ahead]);
      engine::prefetch(&res.awareness_day[ahead]);
    }
    Con& con = cons_[i];
    if (con.due_day != day || pay_one(con, day) == Outcome::goes_on) cons_[kept++] = con;
  }
  cons_.resize(kept);
}

VictimisationModule::Outcome VictimisationModule::pay_one(Con& con, std::int32_t day) {
  const FraudCategory& category = ctx_.params.fraud_categories[con.category];
  World& w = ctx_.world;
  DayCounts& t = ctx_.today(day);
  auto draws = payments_stream_.draws(con.id, con.payments_made);
  if (con.payments_made == 0)
    con.next_payment_yuan = draws.lognormal(engine::det::log(category.loss_median_yuan), category.loss_log_sd);
  const std::int64_t amount = std::max<std::int64_t>(1, std::llround(con.next_payment_yuan));

  if (stopped_by_warning(con, day, draws)) {
    ++t[int(Series::people_dissuaded)];
    t[int(Series::payments_prevented_yuan)] += amount;
    awareness_.raise(con.victim, day, ctx_.params.victims.awareness_after_dissuasion);
    end(con, day);
    return Outcome::stopped;
  }
  // Without a mule card the gang cannot take the money by a card route: it
  // asks for a route that needs none, if it has one; else the con lapses.
  const auto& cards = w.groups.bank_cards[con.group];
  const RouteChoice way = laundering_.choose_route(con.group, con.id, con.payments_made, !cards.empty());
  if (way.route < 0) {
    ++t[int(Series::payments_failed_no_card)];
    end(con, day);
    return Outcome::ended;
  }
  if (way.rerouted) ++t[int(Series::payments_rerouted_no_card)];
  if (way.abandoned) {
    ++t[int(Series::payments_abandoned_route)];
    end(con, day);
    return Outcome::ended;
  }
  CardId card = no_card;
  if (laundering_.route_needs_card(way.route)) {
    card = cards[draws.below(cards.size())];
    cards_.use(card);
  }
  laundering_.pay_in(con.victim, con.group, con.category, card, amount, day, way.route);
  ++t[int(Series::payments)];
  t[int(Series::losses_yuan)] += amount;
  const std::int32_t month = ctx_.calendar.month_of(day);
  breakdowns_.losses_by_category.add(con.category, month, amount);
  if (con.payments_made == 0) {
    con.first_card = card;
    ++t[int(Series::victimisations)];
    breakdowns_.victimisations_by_category.add(con.category, month, 1);
    breakdowns_.victimisations_by_age_band.add(born_.age_band(con.victim), month, 1);
    if (!w.residents.victimised(con.victim)) {
      ++t[int(Series::victims)];
      w.residents.set_victimised(con.victim);
    }
  }
  con.paid_yuan += amount;
  ++con.payments_made;

  // The number of payments is geometric with the category's expected number.
  const double goes_on = 1.0 - 1.0 / category.payments_expected;
  if (con.payments_made == 255 || !draws.bernoulli(goes_on)) {
    end(con, day);
    return Outcome::ended;
  }
  con.next_payment_yuan *= category.payment_escalation;
  con.due_day = day + 1 + static_cast<std::int32_t>(draws.poisson(category.days_between_payments - 1.0));
  return Outcome::goes_on;
}

// Payment signals flag the person about to pay (detection, by the script's
// detectability); the anti-fraud centre then calls and may talk them out of
// it. Both probabilities are today's levers of early warning.
bool VictimisationModule::stopped_by_warning(const Con& con, std::int32_t day, engine::Draws& draws) {
  const double detection = levers_.warning_detection_probability;
  if (detection <= 0) return false;
  const double flagged = std::min(1.0, detection * ctx_.params.fraud_categories[con.category].detectability);
  if (!draws.bernoulli(flagged)) return false;
  ++ctx_.today(day)[int(Series::people_warned)];
  // dissuasion_probability is detection times persuasion, combined over measures.
  return draws.bernoulli(std::min(1.0, levers_.dissuasion_probability / detection));
}

// The con is over: a victim who paid learns from it, may report it, and the
// police may record the report.
void VictimisationModule::end(const Con& con, std::int32_t day) {
  if (con.paid_yuan == 0) return;
  const Victims& v = ctx_.params.victims;
  DayCounts& t = ctx_.today(day);
  auto draws = record_stream_.draws(con.id, 0);
  const bool reported = draws.bernoulli(report_probability(con, day));
  awareness_.raise(con.victim, day, v.awareness_after_victimisation);
  if (!reported) {
    ++t[int(Series::unreported_victimisations)];
    return;
  }
  const double recording = std::clamp(v.recording_probability + levers_.recording_probability_change, 0.0, 1.0);
  if (!draws.bernoulli(recording)) {
    ++t[int(Series::unrecorded_reports)];
    return;
  }
  ++t[int(Series::registered_cases)];
  const std::int32_t month = ctx_.calendar.month_of(day);
  breakdowns_.registered_by_category.add(con.category, month, 1);
  breakdowns_.registered_by_age_band.add(born_.age_band(con.victim), month, 1);
  police_.register_case(con.first_card);
}

// Awareness raises the propensity to report; so does a larger loss, as a
// power of the loss relative to a reference loss; the script scales both.
double VictimisationModule::report_probability(const Con& con, std::int32_t day) const {
  const Victims& v = ctx_.params.victims;
  const double aware = awareness_.of(con.victim, day);
  const double at_reference = v.report_probability + (v.report_probability_aware - v.report_probability) * aware;
  const double loss_factor = engine::det::exp(
      v.report_loss_elasticity * engine::det::log(static_cast<double>(con.paid_yuan) / v.report_reference_loss_yuan));
  return std::clamp(at_reference * loss_factor * ctx_.params.fraud_categories[con.category].report_factor, 0.0, 1.0);
}

}  // namespace fraudsim::model
