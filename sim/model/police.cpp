#include "model/police.hpp"

#include <algorithm>
#include <cmath>

#include "engine/det_math.hpp"
#include "model/population.hpp"

namespace fraudsim::model {

double PoliceModule::capacity_today() const {
  const Police& p = ctx_.params.police;
  const double scale = static_cast<double>(ctx_.params.scale);
  const double open_real = static_cast<double>(open_cases_.size()) * scale;
  const double caseload = std::max(1.0, open_real / p.reference_open_cases);
  const double growth = p.caseload_elasticity > 0 ? engine::det::exp(p.caseload_elasticity * engine::det::log(caseload)) : 1.0;
  return p.investigation_capacity_cases_per_day / scale * (1.0 + levers_.investigation_capacity_increase) * growth;
}

// Each open case is solved today with the same probability, chosen so the
// expected number solved is capacity * (1 - exp(-open * p / capacity)):
// open * p while capacity is ample, approaching capacity as the backlog
// grows. The count is a binomial draw over the open cases, so a capacity of
// a fraction of an agent case a day is a rate at every scale, never rounded
// to 0 or 1.
std::int64_t PoliceModule::draw_solved(std::int32_t day) const {
  const auto open = static_cast<std::int64_t>(open_cases_.size());
  const double capacity = capacity_today();
  if (open == 0 || capacity <= 0) return 0;
  const double unhindered = static_cast<double>(open) * ctx_.params.police.solve_probability_per_day;
  const double expected = capacity * (1.0 - engine::det::exp(-unhindered / capacity));
  auto draws = ctx_.stream("investigation").draws(0, day);
  return draws.binomial(open, std::min(1.0, expected / static_cast<double>(open)));
}

// Leads from one solved case, drawn on the case's own serial number.
void PoliceModule::follow_leads(CardId card, std::int32_t day) {
  const Police& p = ctx_.params.police;
  auto lead = ctx_.stream("case_leads").draws(cases_solved_++, day);
  if (card != no_card) {
    if (lead.bernoulli(p.arrest_per_solved_case)) {
      cards_.deactivate(card, CardState::frozen);
      justice_.arrest(ctx_.world.cards.seller[card], Offence::card_selling, day, lead);
    }
    if (lead.bernoulli(p.launderer_arrest_per_solved_case)) laundering_.arrest_launderer(ctx_.world.cards.group[card], day, lead);
  }
  for (std::int64_t k = lead.poisson(p.other_suspects_per_solved_case); k > 0; --k)
    justice_.arrest(someone_at_home(ctx_.world.residents, {}, lead), Offence::case_suspect, day, lead);
}

void PoliceModule::investigate(std::int32_t day) {
  const std::int64_t solved = draw_solved(day);
  ctx_.today(day)[int(Series::cases_solved)] += solved;
  for (std::int64_t k = 0; k < solved; ++k) {
    const CardId card = open_cases_.front();
    open_cases_.pop_front();
    follow_leads(card, day);
  }
}

void PoliceModule::record(std::int32_t day) {
  ctx_.today(day)[int(Series::open_cases)] = static_cast<std::int64_t>(open_cases_.size());
}

}  // namespace fraudsim::model
