// card_breaking ("broken cards"): arrests and punishes people who sell bank
// and phone cards to fraud gangs, which also deters others from selling
// (MPS, 14 Apr 2022: the crackdown on "those buying other people's phones and bank
// cards"). The card stock shrinks and its price rises as a consequence.
#include "interventions/families.hpp"

namespace fraudsim::interventions {

class CardBreaking final : public Family<CardBreaking> {
 public:
  static constexpr std::string_view type_name = "card_breaking";
  double seller_arrest_probability_per_day = 0;
  double seller_deterrence = 0;

  void apply(model::Levers& levers, double strength) const override {
    model::Levers::tighten(levers.seller_arrest_probability_per_day, seller_arrest_probability_per_day * strength);
    model::Levers::tighten(levers.card_sale_deterrence, seller_deterrence * strength);
  }

 protected:
  void describe_parameters(input::Fields& f) override {
    f.real("seller_arrest_probability_per_day", seller_arrest_probability_per_day,
           input::probability("the seller of an active mule or phone card is identified and arrested on a given day"));
    f.real("seller_deterrence", seller_deterrence,
           input::probability("share of would-be card sellers deterred, at full strength"));
  }
};

std::unique_ptr<Intervention> make_card_breaking() { return std::make_unique<CardBreaking>(); }

}  // namespace fraudsim::interventions
