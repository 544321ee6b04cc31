#pragma once
// Recruitment under the guise of high-salary jobs: offers reach job seekers
// through online adverts (in proportion to the compounds' empty places and
// their groups' leadership) and through social ties to people already
// abroad; a recruit who accepts must get out of the country, by a regular
// border post or through a smuggler, past exit control, and joins a
// compound with room, some held by force.
#include <cstdint>

#include "engine/random.hpp"
#include "model/awareness.hpp"
#include "model/compounds.hpp"
#include "model/context.hpp"
#include "model/levers.hpp"
#include "model/smuggling.hpp"

namespace fraudsim::model {

class RecruitmentModule {
 public:
  RecruitmentModule(const Context& ctx, const Levers& levers, const AwarenessModule& awareness, CompoundsModule& compounds,
                    SmugglingModule& smuggling)
      : ctx_(ctx), levers_(levers), awareness_(awareness), compounds_(compounds), smuggling_(smuggling) {}

  void recruit(std::int32_t day);  // phase "recruitment"

 private:
  struct Pass;   // one day's recruitment: places left, who has gone
  struct Offer;  // an offer decided against the world as it was when the pass began
  struct TieOffers;
  void count_vacancies(Pass& pass) const;
  void send_adverts(Pass& pass);
  void send_tie_offers(Pass& pass, std::int64_t senders);
  bool decide(const Pass& pass, ResidentId r, double trust, engine::Draws& draws, bool& eligible) const;
  void apply(Pass& pass, Offer& offer);
  void consider(Pass& pass, ResidentId r, double trust, engine::Draws& draws);
  void go(Pass& pass, ResidentId r, engine::Draws& draws);

  Context ctx_;
  const Levers& levers_;
  const AwarenessModule& awareness_;
  CompoundsModule& compounds_;
  SmugglingModule& smuggling_;
};

}  // namespace fraudsim::model
