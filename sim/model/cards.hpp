#pragma once
// The card market: gangs keep stocks of mule bank cards and phone (SIM)
// cards bought from residents willing to sell. Cards are used up, frozen,
// burned or cancelled, and replaced; a shortage raises the price, which
// draws in more sellers. Card-breaking arrests the sellers of active cards.
// The cards themselves are rows of World::cards, listed in their group's
// active lists; they are issued and deactivated only here.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/card_sellers.hpp"
#include "model/context.hpp"
#include "model/justice.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class CardsModule {
 public:
  CardsModule(const Context& ctx, const Levers& levers, JusticeModule& justice);

  void stock_initial();          // at the start: the groups' stocks, from willing sellers
  void trade(std::int32_t day);  // phase "card_market"
  void record(std::int32_t day); // today's stocks and average price

  // Takes an active card off its group's list; nothing if it is not active.
  void deactivate(CardId card, CardState state);
  // A payment passes through a bank card, which is dropped when used up.
  void use(CardId card) {
    if (--ctx_.world.cards.uses_left[card] <= 0) deactivate(card, CardState::used_up);
  }
  // Empty if every card listed as active is active, in its slot, in its group.
  std::string check() const;
  // Average card price over the groups not dismantled, per day (yuan).
  const std::vector<double>& daily_price() const { return price_; }

 private:
  // Sellers each group bought from today, bank then phone cards.
  using Purchases = std::vector<std::array<std::vector<ResidentId>, 2>>;
  void stock_from_networks(const std::vector<std::int64_t>& workforce);
  Purchases buy_from_sellers(std::int32_t day);
  void recruit_sellers(std::int32_t day);
  std::vector<std::int64_t> open_workforce() const;
  void wear_phone_cards(std::int32_t day);
  void break_cards(std::int32_t day);
  Purchases shop(std::int32_t day);
  double risk_premium() const;
  void break_networks(std::int32_t day);
  double share_supplied() const;
  double rebuild_pull() const;
  double gang_rebuild_pull() const;
  void issue_bought(const Purchases& bought, std::int32_t day);
  CardId issue(ResidentId seller, std::uint16_t group, CardKind kind);
  void fill(CardId card, ResidentId seller, std::uint16_t group, CardKind kind);
  std::vector<CardId>& active_list(std::uint16_t group, CardKind kind) const;

  Context ctx_;
  const Levers& levers_;
  JusticeModule& justice_;
  std::vector<double> price_;
  CardSellers sellers_;  // the sellers, when card gangs recruit them
  double sellers_cut_off_ = 0;  // agents, a rate: gangs broken are a share of an agent at coarse scales
};

}  // namespace fraudsim::model
