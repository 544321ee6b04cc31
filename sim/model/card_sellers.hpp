#pragma once
// Card sellers as a stock that card gangs recruit (cards.seller_networks):
// a gang approaches residents, a resident willing to sell (the seller_share
// trait) may agree, and then supplies their own few bank accounts and
// phone numbers as their group needs them, until they quit, are arrested or
// leave, their gang is broken, or they have nothing left to sell. Arrests
// of card sellers break gangs; broken gangs are rebuilt, sooner when cards
// sell dear. Owned by the CardsModule, which issues the cards.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/context.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class CardSellers {
 public:
  CardSellers(const Context& ctx, const Levers& levers);
  bool enabled() const { return ctx_.params.cards.seller_networks.enabled; }

  // At the start, once the groups exist: no sellers yet.
  void start();
  // At the start: the sellers of a group's first `cards` cards of a kind,
  // recruiting willing residents at home as the earlier ones run out.
  std::vector<ResidentId> supply_initial(std::uint16_t group, CardKind kind, std::int64_t cards);
  // After the initial stock: each group's gangs, from its sellers.
  void count_initial_gangs();

  // Sellers stop (away, used up, quitting); yesterday's arrests break gangs,
  // broken gangs are rebuilt (pull: the price's multiplier of the rate).
  void tend(std::int32_t day, double pull);
  // Sellers of up to `missing` cards of a kind, drawn among the group's
  // active sellers with cards left (groups sell in parallel: each touches
  // only its own sellers).
  void sell(std::uint16_t group, CardKind kind, double missing, std::int32_t day, std::vector<ResidentId>& sellers);
  // Before the groups sell in parallel: sorts the list of sellers who left
  // home since the last tending, which sell() searches.
  void sort_gone();
  // The group's gangs recruit while its stock and its sellers' cards left
  // fall short of its targets (cards per kind, in agents). Group by group.
  void recruit(std::uint16_t group, const std::array<double, 2>& shortfall, double price_pull, std::int32_t day);
  // Cards of a kind the group's active sellers can still sell.
  std::int64_t cards_left(std::uint16_t group, CardKind kind) const;

  void record(DayCounts& today) const;
  // Empty if every active seller is listed once, in one group, within their limits.
  std::string check() const;

 private:
  // One group's active sellers, in a deterministic order, with the bank and
  // phone cards each can still sell.
  struct Sellers {
    std::vector<ResidentId> resident;
    std::vector<std::array<std::uint8_t, 2>> left;
  };
  std::array<std::uint8_t, 2> limits(ResidentId r) const;
  // Whether a listed seller is away from home: only those who left since
  // the last tending can be (Residents::gang_sellers_gone, sorted by
  // sort_gone() before it is read).
  bool away(ResidentId r) const {
    if (!((gone_mask_ >> gone_bit(r)) & 1)) return false;  // most sellers: not among those gone
    const Residents& res = ctx_.world.residents;
    const std::vector<ResidentId>& gone = res.gang_sellers_gone;
    return std::binary_search(gone.begin(), gone.end(), r) && !res.at_home(r);
  }
  // A bit of a 64-bit mask for each resident gone (a one-hash Bloom filter).
  static unsigned gone_bit(ResidentId r) { return static_cast<unsigned>((r * 0x9E3779B97F4A7C15ull) >> 58); }
  bool take_on(std::uint16_t group, ResidentId r);
  void drop(std::uint16_t group, std::size_t k);
  void break_gangs(std::int32_t day);
  // Every group's active sellers (a resident is listed in at most one group:
  // Residents::in_card_gang).
  std::int64_t active() const;

  Context ctx_;
  const Levers& levers_;
  std::vector<Sellers> sellers_;         // per group
  std::vector<std::vector<std::uint32_t>> able_;  // per group, sell()'s room: who can sell the kind today
  std::vector<double> gangs_;            // per group, real gangs (not agents)
  std::vector<double> gangs_at_start_;   // what broken gangs are rebuilt towards
  std::uint64_t gone_mask_ = 0;          // the bits of those gone, as sort_gone() found them
};

}  // namespace fraudsim::model
