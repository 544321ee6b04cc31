#pragma once
// The model's parameters, as the scenario file gives them. Every field is
// declared (name, unit, bounds, meaning) in parameters.cpp; docs/scenario.md
// is generated from those declarations.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario/fields.hpp"

namespace fraudsim::model {

using scenario::Fields;

// Scam contact channels. Their order is the order of the per-channel arrays.
enum class Channel : std::uint8_t { call = 0, sms = 1, online = 2 };
inline constexpr int num_channels = 3;
inline constexpr std::array<const char*, num_channels> channel_names = {"call", "sms", "online"};

struct Region {
  std::string name;
  double population_share = 0;
  double job_seeker_share = 0;  // of working-age residents, seeking work at any time
  void describe(Fields& f);
};

struct AgeBand {
  std::string name;
  double population_share = 0;
  double susceptibility_factor = 1;  // multiplies every category's engagement probability
  double job_seeking_factor = 1;     // multiplies the region's job-seeker share
  void describe(Fields& f);
};

struct FraudCategory {
  std::string name;
  double effort_share = 0;            // share of scam attempts that use this script
  double engagement_probability = 0;  // a delivered contact deceives an unaware person of median susceptibility
  double loss_median_yuan = 0;
  double loss_log_sd = 0;             // sd of log loss (lognormal)
  void describe(Fields& f);
};

struct ChannelMix {
  std::array<double, num_channels> effort_share{};  // call, sms, online
  void describe(Fields& f);
};

struct Jurisdiction {
  std::string name;
  std::int64_t compounds = 0;
  double capacity_per_compound = 0;     // people (workers) at the start date
  double capacity_growth_per_year = 0;  // share per year, compounding
  double initial_workforce = 0;         // people at the start date, over all its compounds
  std::int64_t groups = 1;              // family crime groups sharing its compounds
  void describe(Fields& f);
};

struct Recruitment {
  double advert_offers_per_vacancy_per_day = 0;  // offers reaching job seekers, per empty place
  double tie_offers_per_worker_per_day = 0;      // offers a worker sends to social ties at home
  std::int64_t ties_per_resident = 0;
  double acceptance_probability = 0;  // at the home salary, zero awareness, no deterrence
  double tie_trust_factor = 1;        // an offer from a tie is this much more likely accepted
  double offered_salary_yuan_per_month = 0;
  double home_salary_yuan_per_month = 0;
  double salary_elasticity = 0;  // acceptance scales as (offered / home) ^ elasticity
  double trafficked_share = 0;   // of recruits who arrive, held by force
  void describe(Fields& f);
};

struct WorkerBehaviour {
  double attempts_per_day = 0;  // scam attempts per worker per day, all channels
  double escape_per_year = 0;   // trafficked workers who escape
  double release_per_year = 0;  // trafficked workers released (ransom, end of debt)
  double return_per_year = 0;   // voluntary workers who come home of their own accord
  double arrest_on_return_probability = 0;             // a voluntary worker who comes home
  double trafficked_arrest_on_return_probability = 0;  // a trafficked worker who escapes or is released
  double domains_per_worker = 0;  // websites and apps the online channel runs on
  void describe(Fields& f);
};

struct Victims {
  double individual_susceptibility_log_sd = 0;  // person-to-person spread (lognormal, median 1)
  double repeat_victim_factor = 1;              // engagement multiplier for people deceived before
  double awareness_after_victimisation = 0;     // personal awareness a victim gains
  double awareness_after_dissuasion = 0;        // personal awareness a dissuaded person gains
  double report_probability = 0;                // a victim reports, at zero awareness
  double report_probability_aware = 0;          // ... at full awareness
  void describe(Fields& f);
};

struct Awareness {
  double initial_public = 0;  // public awareness at the start date, in [0, 1]
  double public_floor = 0;    // level public awareness decays towards
  double public_half_life_days = 0;
  double personal_half_life_days = 0;
  void describe(Fields& f);
};

struct Police {
  double investigation_capacity_cases_per_day = 0;  // cases the police can solve per day, nationwide
  double solve_probability_per_day = 0;             // an open case is solved on a given day, capacity allowing
  double suspects_per_solved_case = 0;              // domestic accomplices arrested per solved case
  void describe(Fields& f);
};

}  // namespace fraudsim::model
