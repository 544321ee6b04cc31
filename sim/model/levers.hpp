#pragma once
// Today's settings of what interventions act on. They start each day at
// "no intervention" and each active intervention tightens its own levers.
#include <array>
#include <functional>
#include <vector>

#include "engine/calendar.hpp"

#include "model/parameters.hpp"

namespace fraudsim::model {

// A cross-border operation's grip on one jurisdiction.
struct RaidLever {
  double raid_probability_per_day = 0;      // a compound is raided on a given day
  double capture_share = 0;                 // share of a raided compound's workforce captured (before protection)
  double leader_arrest_probability = 0;     // each leader of the compound's group is arrested in a raid
  double financier_arrest_probability = 0;  // each financier of the group is arrested in a raid
};

struct Levers {
  // Exit route.
  double exit_block_probability = 0;       // a recruit leaving by a regular border post is stopped
  double smuggling_block_probability = 0;  // an illegal crossing is stopped
  double smuggler_arrest_probability = 0;  // a stopped illegal crossing leads to the smuggler's arrest
  double recruit_deterrence = 0;           // share of would-be recruits deterred by penalties

  // Contacts. call and sms: a scam attempt is blocked; online: a domain is taken down on a given day.
  std::array<double, num_channels> block_probability{};
  double dissuasion_probability = 0;  // a person about to pay is detected and talked out of paying
  double warning_detection_probability = 0;  // a person about to pay is detected (and warned)
  double lead_warning_share = 0;  // share of delivered scam contacts whose recipient is warned from a lead
  double recording_probability_change = 0;  // added to the police's probability of recording a report
  double public_awareness_reach_per_day = 0;  // share of the still-unaware public a campaign reaches today

  // Cards and money.
  double card_sale_deterrence = 0;              // share of would-be card sellers deterred
  double seller_arrest_probability_per_day = 0; // the seller of an active card is identified and arrested
  double sim_cancellation_per_day = 0;          // an active phone card is cancelled by its operator
  std::array<double, num_hops> freeze_probability{};  // on top of each hop's baseline
  std::array<double, num_hops> trace_probability{};
  // Money paid in by a route entering the chain at this hop is frozen at entry.
  std::array<double, num_hops> entry_freeze_probability{};

  // Investigation. Campaigns add police to investigation: capacity is
  // multiplied by 1 + this (0: no campaign); campaigns add up.
  double investigation_capacity_increase = 0;

  // People abroad.
  double return_persuasion_per_day = 0;  // daily probability that a voluntary worker abroad is persuaded home
  double return_leniency = 0;            // share of the persuaded who are not arrested (a deadline notice's leniency)
  std::vector<RaidLever> raids;          // by jurisdiction
  // By jurisdiction: a host state's dated change of enforcement, combined
  // with its own (Jurisdiction::enforcement) as tighten does.
  std::vector<double> enforcement;

  // Two independent measures acting on the same probability: both must fail.
  static void tighten(double& lever, double probability) { lever = 1.0 - (1.0 - lever) * (1.0 - probability); }
};

// Sets the levers of a day, given the day's date, on levers reset to "no
// intervention". The scenario supplies it from its interventions; the model
// calls it once a day and knows nothing else of them.
using LeverSetter = std::function<void(engine::Date, Levers&)>;

}  // namespace fraudsim::model
