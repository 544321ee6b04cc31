#include "model/parameters.hpp"

namespace fraudsim::model {

using scenario::nonnegative;
using scenario::probability;
using scenario::share;
using scenario::Spec;

void Region::describe(Fields& f) {
  f.real("population_share", population_share, share("share of residents living in the region"));
  f.real("job_seeker_share", job_seeker_share, share("share of its residents seeking work at any time"));
}

void AgeBand::describe(Fields& f) {
  f.real("population_share", population_share, share("share of residents in the age band"));
  f.real("susceptibility_factor", susceptibility_factor,
         nonnegative("factor", "multiplies every category's engagement probability"));
  f.real("job_seeking_factor", job_seeking_factor, nonnegative("factor", "multiplies the region's job-seeker share"));
}

void FraudCategory::describe(Fields& f) {
  f.real("effort_share", effort_share, share("share of scam attempts that use this script"));
  f.real("engagement_probability", engagement_probability,
         probability("a delivered contact deceives a person of median susceptibility with no awareness"));
  f.real("loss_median_yuan", loss_median_yuan, Spec{"yuan", "median loss of one victim", 1.0});
  f.real("loss_log_sd", loss_log_sd, nonnegative("log yuan", "standard deviation of the log of a loss"));
}

void ChannelMix::describe(Fields& f) {
  for (int c = 0; c < num_channels; ++c)
    f.real(channel_names[c], effort_share[c], share("share of scam attempts made through this channel"));
}

void Jurisdiction::describe(Fields& f) {
  f.integer("compounds", compounds, scenario::positive_int("compounds", "scam compounds at the start date"));
  f.real("capacity_per_compound", capacity_per_compound,
         nonnegative("people", "places for workers in one compound at the start date"));
  f.real("capacity_growth_per_year", capacity_growth_per_year,
         Spec{"share per year", "growth of each compound's capacity, compounding", -1.0, 10.0});
  f.real("initial_workforce", initial_workforce, nonnegative("people", "workers in all its compounds at the start date"));
  f.integer("groups", groups, scenario::positive_int("groups", "family crime groups controlling its compounds"));
}

void Recruitment::describe(Fields& f) {
  f.real("advert_offers_per_vacancy_per_day", advert_offers_per_vacancy_per_day,
         nonnegative("offers per place per day", "job offers reaching job seekers through online adverts, per empty place"));
  f.real("tie_offers_per_worker_per_day", tie_offers_per_worker_per_day,
         nonnegative("offers per worker per day", "job offers a worker abroad sends to social ties at home"));
  f.integer("ties_per_resident", ties_per_resident, scenario::positive_int("people", "social ties of a resident in the same region"));
  f.real("acceptance_probability", acceptance_probability,
         probability("a job seeker accepts an offer at the home salary, with no awareness or deterrence"));
  f.real("tie_trust_factor", tie_trust_factor, nonnegative("factor", "an offer from a social tie is this much more likely accepted"));
  f.real("offered_salary_yuan_per_month", offered_salary_yuan_per_month, Spec{"yuan per month", "salary the offers promise", 1.0});
  f.real("home_salary_yuan_per_month", home_salary_yuan_per_month, Spec{"yuan per month", "salary a job seeker can expect at home", 1.0});
  f.real("salary_elasticity", salary_elasticity,
         nonnegative("", "acceptance scales as (offered salary / home salary) to this power"));
  f.real("trafficked_share", trafficked_share, share("share of arriving recruits held by force"));
}

void WorkerBehaviour::describe(Fields& f) {
  f.real("attempts_per_day", attempts_per_day, nonnegative("attempts per worker per day", "scam attempts, all channels"));
  f.real("escape_per_year", escape_per_year, nonnegative("per year", "hazard that a trafficked worker escapes"));
  f.real("release_per_year", release_per_year, nonnegative("per year", "hazard that a trafficked worker is released"));
  f.real("return_per_year", return_per_year, nonnegative("per year", "hazard that a voluntary worker comes home unprompted"));
  f.real("arrest_on_return_probability", arrest_on_return_probability,
         probability("a voluntary worker who comes home is arrested"));
  f.real("trafficked_arrest_on_return_probability", trafficked_arrest_on_return_probability,
         probability("a trafficked worker who escapes or is released and comes home is arrested"));
  f.real("domains_per_worker", domains_per_worker, nonnegative("domains per worker", "websites and apps kept running"));
}

void Victims::describe(Fields& f) {
  f.real("individual_susceptibility_log_sd", individual_susceptibility_log_sd,
         nonnegative("log factor", "person-to-person spread of susceptibility (lognormal, median 1)"));
  f.real("repeat_victim_factor", repeat_victim_factor, nonnegative("factor", "engagement multiplier for people deceived before"));
  f.real("awareness_after_victimisation", awareness_after_victimisation, share("personal awareness a victim gains"));
  f.real("awareness_after_dissuasion", awareness_after_dissuasion, share("personal awareness a dissuaded person gains"));
  f.real("report_probability", report_probability, probability("a victim with no awareness reports to the police"));
  f.real("report_probability_aware", report_probability_aware, probability("a victim with full awareness reports"));
}

void Awareness::describe(Fields& f) {
  f.real("initial_public", initial_public, share("public awareness at the start date"));
  f.real("public_floor", public_floor, share("level public awareness decays towards"));
  f.real("public_half_life_days", public_half_life_days, Spec{"days", "half-life of public awareness above its floor", 1.0});
  f.real("personal_half_life_days", personal_half_life_days, Spec{"days", "half-life of awareness from experience", 1.0});
}

void Police::describe(Fields& f) {
  f.real("investigation_capacity_cases_per_day", investigation_capacity_cases_per_day,
         nonnegative("cases per day", "most cases the police can solve per day, nationwide"));
  f.real("solve_probability_per_day", solve_probability_per_day, probability("an open case is solved on a given day, capacity allowing"));
  f.real("suspects_per_solved_case", suspects_per_solved_case, nonnegative("people per case", "domestic accomplices arrested per solved case"));
}

}  // namespace fraudsim::model
