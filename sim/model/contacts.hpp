#pragma once
// Scam contacts on the home country: the workers of each compound make
// attempts (home-country workers, with the share of their effort that
// MarketsModule puts on the home country) by call, SMS and
// online channel, with the effort gangs put on each; calls and messages need
// phone cards. Interception blocks some per channel (blocked attempts are drawn
// as counts, since they touch no resident); each delivered attempt reaches a
// resident, who may be warned from a lead (the anti-fraud centre learns of
// numbers called and accounts flagged) and may be deceived: a con begins
// (model/victimisation.hpp), whose payments, warnings and reports follow.
#include <array>
#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "model/adaptation.hpp"
#include "model/awareness.hpp"
#include "model/context.hpp"
#include "model/levers.hpp"
#include "model/markets.hpp"
#include "model/population.hpp"
#include "model/victimisation.hpp"

namespace fraudsim::model {

class ContactsModule {
 public:
  ContactsModule(const Context& ctx, const Levers& levers, const AdaptationModule& adaptation, AwarenessModule& awareness,
                 VictimisationModule& victimisation, const MarketsModule& markets);

  void contact(std::int32_t day);  // phase "scam_contacts"

 private:
  // What one contact led to, decided in parallel and applied in order.
  struct ContactEvent {
    ResidentId target;
    std::uint8_t category;
    bool warned;    // from a lead: gains awareness
    bool deceived;  // a con begins
  };
  struct ContactCounts {
    std::int64_t domains_blocked = 0, calls_blocked = 0, sms_blocked = 0, online_blocked = 0, delivered = 0, no_phone_card = 0;
  };
  // Today's chances, the same for every compound.
  struct Odds {
    std::vector<double> phone_share;  // by group: the share of calls and messages its phone cards support
    std::vector<double> category_cumulative, engagement;  // by category
    std::vector<double> age_susceptibility;                           // by age band
    double sms_given_not_call = 0;
    double most_engaging = 0;  // the highest engagement probability any contact can have today
    // By category and susceptibility class ([category * 256 + class]): the
    // highest engagement probability a person of that class can have today
    // (any age band, no personal awareness, deceived before).
    std::vector<double> class_bound;
    // By category: the highest of its classes' bounds, which rejects a
    // candidate before their class is computed.
    std::vector<double> category_bound;
    double home_share = 0;     // of residents, at home
  };
  void set_odds();
  void attempt(std::int64_t compound, std::int32_t day, const engine::Stream& takedowns, const engine::Stream& attempts);
  void reach(std::int64_t delivered, std::int32_t day, engine::Draws& draws, std::vector<ContactEvent>& events) const;
  void apply(std::int32_t day);

  Context ctx_;
  const Levers& levers_;
  const AdaptationModule& adaptation_;
  AwarenessModule& awareness_;
  VictimisationModule& victimisation_;
  const MarketsModule& markets_;
  const BornTraits born_;
  // The factor of each susceptibility class (BornTraits::susceptibility_class).
  std::array<double, 256> susceptibility_of_class_{};
  Odds odds_;
  // Per-compound scratch, kept to reuse its memory.
  std::vector<std::vector<ContactEvent>> events_;
  std::vector<ContactCounts> counts_;
  std::vector<std::vector<ResidentId>> warned_;  // apply()'s room: per range, the warned residents in order
};

}  // namespace fraudsim::model
