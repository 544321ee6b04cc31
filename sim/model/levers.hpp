#pragma once
// Today's settings of what interventions act on. They start each day at
// "no intervention" and each active intervention tightens its own levers.
#include <array>

#include "model/parameters.hpp"

namespace fraudsim::model {

struct Levers {
  double exit_block_probability = 0;  // a recruit trying to leave the country is stopped
  // call and sms: a scam attempt is blocked; online: a domain is taken down on a given day
  std::array<double, num_channels> block_probability{};
  double dissuasion_probability = 0;      // a person being defrauded is detected and talked out of paying
  double return_persuasion_per_day = 0;   // daily probability that a voluntary worker abroad is persuaded home
  double public_awareness_reach_per_day = 0;  // share of the still-unaware public a campaign reaches today
  double recruit_deterrence = 0;  // share of would-be recruits deterred by penalties (the anti-fraud law)

  // Two independent measures acting on the same probability: both must fail.
  static void tighten(double& lever, double probability) { lever = 1.0 - (1.0 - lever) * (1.0 - probability); }
};

}  // namespace fraudsim::model
