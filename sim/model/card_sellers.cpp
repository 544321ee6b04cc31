#include "model/card_sellers.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"
#include "engine/prefetch.hpp"

namespace fraudsim::model {

CardSellers::CardSellers(const Context& ctx, const Levers& levers) : ctx_(ctx), levers_(levers) {}

void CardSellers::start() {
  const auto num_groups = static_cast<std::size_t>(ctx_.world.groups.size());
  sellers_.assign(num_groups, {});
  able_.assign(num_groups, {});
  gangs_.assign(num_groups, 0.0);
  gangs_at_start_.assign(num_groups, 0.0);
}

// A person's own bank accounts and phone numbers, fixed for life: drawn on
// their own key, so that a seller who stops and is recruited again has no
// more to sell than before (cards_sold counts what they sold).
std::array<std::uint8_t, 2> CardSellers::limits(ResidentId r) const {
  const SellerNetworks& n = ctx_.params.cards.seller_networks;
  auto draws = ctx_.stream("card_seller_limits").draws(r, 0);
  const auto within = [&](std::int64_t low, std::int64_t high) {
    return static_cast<std::uint8_t>(low + static_cast<std::int64_t>(draws.below(static_cast<std::uint64_t>(high - low + 1))));
  };
  const std::uint8_t bank = within(n.bank_cards_per_seller_min, n.bank_cards_per_seller_max);
  return {bank, within(n.sim_cards_per_seller_min, n.sim_cards_per_seller_max)};
}

// Lists a willing resident as an active seller of the group, with what
// they have left to sell; false if they cannot be (away, already selling,
// nothing left).
bool CardSellers::take_on(std::uint16_t group, ResidentId r) {
  Residents& res = ctx_.world.residents;
  if (!res.at_home(r) || res.in_card_gang(r)) return false;
  const std::array<std::uint8_t, 2> limit = limits(r);
  const int remaining = limit[0] + limit[1] - res.cards_sold[r];
  if (remaining <= 0) return false;
  const auto bank = static_cast<std::uint8_t>(std::min<int>(limit[0], remaining));
  const auto sim = static_cast<std::uint8_t>(std::min<int>(limit[1], remaining - bank));
  sellers_[group].resident.push_back(r);
  sellers_[group].left.push_back({bank, sim});
  res.set_in_card_gang(r, true);
  return true;
}

void CardSellers::drop(std::uint16_t group, std::size_t k) {
  Sellers& s = sellers_[group];
  ctx_.world.residents.set_in_card_gang(s.resident[k], false);
  s.resident[k] = s.resident.back();
  s.left[k] = s.left.back();
  s.resident.pop_back();
  s.left.pop_back();
}

std::vector<ResidentId> CardSellers::supply_initial(std::uint16_t group, CardKind kind, std::int64_t cards) {
  const World& w = ctx_.world;
  const auto n = static_cast<std::uint64_t>(w.residents.size());
  auto draws = ctx_.stream("initial_card_sellers").draws(static_cast<std::uint64_t>(group) << 1 | static_cast<std::uint64_t>(kind), 0);
  Sellers& s = sellers_[group];
  const auto k_kind = static_cast<std::size_t>(kind);
  std::vector<ResidentId> supplied;
  std::size_t next = 0;  // sellers before this one have no card of the kind left
  while (static_cast<std::int64_t>(supplied.size()) < cards) {
    while (next < s.resident.size() && s.left[next][k_kind] == 0) ++next;
    if (next == s.resident.size()) {
      bool found = false;
      for (int tries = 0; tries < 10000 && !found; ++tries) {
        const auto r = static_cast<ResidentId>(draws.below(n));
        found = w.residents.card_seller(r) && take_on(group, r);
      }
      if (!found) break;
      continue;
    }
    --s.left[next][k_kind];
    supplied.push_back(s.resident[next]);
  }
  return supplied;
}

// Each gang starts with active_sellers_per_gang sellers (real people); a
// group with no sellers yet keeps the gangs of one agent, so it can recruit.
void CardSellers::count_initial_gangs() {
  const SellerNetworks& n = ctx_.params.cards.seller_networks;
  const auto scale = static_cast<double>(ctx_.params.scale);
  for (std::size_t g = 0; g < sellers_.size(); ++g) {
    const double agents = std::max<double>(1.0, static_cast<double>(sellers_[g].resident.size()));
    gangs_at_start_[g] = gangs_[g] = agents * scale / n.active_sellers_per_gang;
  }
}

void CardSellers::sort_gone() {
  std::vector<ResidentId>& gone = ctx_.world.residents.gang_sellers_gone;
  std::sort(gone.begin(), gone.end());
  gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
  gone_mask_ = 0;
  for (const ResidentId r : gone) gone_mask_ |= std::uint64_t{1} << gone_bit(r);
}

// Groups in parallel: a group's sellers are its own (a resident is listed
// in one group at most), and each group draws on its own key. The list of
// those who left home since the last tending is emptied after: every seller
// still listed is then at home.
void CardSellers::tend(std::int32_t day, double pull) {
  const SellerNetworks& n = ctx_.params.cards.seller_networks;
  const engine::Stream quitting = ctx_.stream("card_seller_quits");
  const double quit = 1.0 - engine::det::exp(-n.quit_per_year / 365.0);
  sort_gone();
  engine::parallel_for(
      static_cast<std::int64_t>(sellers_.size()),
      [&](std::int64_t g) {
        Sellers& s = sellers_[static_cast<std::size_t>(g)];
        auto draws = quitting.draws(static_cast<std::uint64_t>(g), day);
        // Each seller quits with probability `quit`: the sellers passed over
        // before the next who quits, from the end of the list, are a
        // geometric count (dropping a seller moves one already seen).
        const auto size = static_cast<double>(s.resident.size());
        double next_quit = quit > 0.0 ? size - 1.0 - draws.failures(quit) : -1.0;
        for (std::size_t k = s.resident.size(); k-- > 0;) {
          const bool quits = static_cast<double>(k) == next_quit;
          if (quits) next_quit -= 1.0 + draws.failures(quit);
          if (quits || (s.left[k][0] == 0 && s.left[k][1] == 0) || away(s.resident[k]))
            drop(static_cast<std::uint16_t>(g), k);
        }
        gangs_[g] += (gangs_at_start_[g] - gangs_[g]) * std::min(1.0, pull / ctx_.params.cards.network_rebuild_days);
      },
      /*grain=*/1);
  ctx_.world.residents.gang_sellers_gone.clear();
  gone_mask_ = 0;
  if (day > 0) break_gangs(day);
}

std::int64_t CardSellers::active() const {
  std::int64_t active = 0;
  for (const Sellers& s : sellers_) active += static_cast<std::int64_t>(s.resident.size());
  return active;
}

// Yesterday's arrests of card sellers, by every route (an agent arrest
// stands for `scale` arrests), each break their gang with
// network_break_per_arrest. Which group a seller served is not kept once
// their card is gone, so the gangs broken are shared over the groups in
// proportion to their active sellers; a broken gang's sellers stop with it
// (a binomial draw on the share of the group's gangs broken).
void CardSellers::break_gangs(std::int32_t day) {
  const CardParameters& c = ctx_.params.cards;
  const auto arrested = static_cast<double>(ctx_.today(day - 1)[int(Series::card_sellers_arrested)]);
  const auto active = static_cast<double>(this->active());
  if (arrested <= 0 || active <= 0) return;
  const double broken = arrested * static_cast<double>(ctx_.params.scale) * c.network_break_per_arrest;
  const engine::Stream breaking = ctx_.stream("card_gang_breaking");
  for (std::size_t g = 0; g < sellers_.size(); ++g) {
    Sellers& s = sellers_[g];
    if (s.resident.empty() || gangs_[g] <= 0) continue;
    const double share = std::min(1.0, broken * static_cast<double>(s.resident.size()) / active / gangs_[g]);
    gangs_[g] *= 1.0 - share;
    auto draws = breaking.draws(g, day);
    for (std::int64_t k = draws.binomial(static_cast<std::int64_t>(s.resident.size()), share); k > 0; --k)
      drop(static_cast<std::uint16_t>(g), draws.below(s.resident.size()));
  }
}

void CardSellers::sell(std::uint16_t group, CardKind kind, double missing, std::int32_t day, std::vector<ResidentId>& sold) {
  Sellers& s = sellers_[group];
  if (s.resident.empty()) return;
  const auto k_kind = static_cast<std::size_t>(kind);
  auto draws = ctx_.stream("card_seller_sales").draws(static_cast<std::uint64_t>(group) << 1 | k_kind, day);
  // Each approach goes to a listed seller at random and sells if they are
  // at home with a card of the kind left. Between two sales the share of
  // such sellers is fixed, so the approaches that fail before the next sale
  // are a geometric count, and the sale goes to one of them at random.
  std::vector<std::uint32_t>& able = able_[group];
  able.clear();
  for (std::size_t i = 0; i < s.resident.size(); ++i)
    if (s.left[i][k_kind] > 0 && !away(s.resident[i])) able.push_back(static_cast<std::uint32_t>(i));
  const auto listed = static_cast<double>(s.resident.size());
  auto approaches = static_cast<double>(draws.poisson(ctx_.params.cards.approaches_per_missing_card_per_day * missing));
  while (approaches > 0 && !able.empty()) {
    approaches -= 1.0 + draws.failures(static_cast<double>(able.size()) / listed);
    if (approaches < 0) break;  // the approaches ran out before the next sale
    const std::size_t a = draws.below(able.size());
    const std::uint32_t i = able[a];
    --s.left[i][k_kind];
    sold.push_back(s.resident[i]);
    if (static_cast<double>(sold.size()) >= missing) break;
    if (s.left[i][k_kind] == 0) {
      able[a] = able.back();
      able.pop_back();
    }
  }
}

std::int64_t CardSellers::cards_left(std::uint16_t group, CardKind kind) const {
  std::int64_t left = 0;
  for (const auto& l : sellers_[group].left) left += l[static_cast<std::size_t>(kind)];
  return left;
}

// Approaches go to residents at random, as many as the group's gangs can
// make (real approaches divided by the scale) or as its shortfall asks,
// whichever is fewer; only the willing can agree (a binomial thinning, as in
// the market without gangs), deterred by card-breaking and the law.
void CardSellers::recruit(std::uint16_t group, const std::array<double, 2>& shortfall, double price_pull, std::int32_t day) {
  const Parameters& p = ctx_.params;
  const World& w = ctx_.world;
  const double short_cards = std::max(0.0, shortfall[0]) + std::max(0.0, shortfall[1]);
  if (short_cards <= 0 || w.card_sellers.empty()) return;
  const double capacity = gangs_[group] * p.cards.seller_networks.approaches_per_gang_per_day / static_cast<double>(p.scale);
  auto draws = ctx_.stream("card_seller_recruitment").draws(group, day);
  const std::int64_t approaches = draws.poisson(std::min(capacity, p.cards.approaches_per_missing_card_per_day * short_cards));
  const std::int64_t reached = draws.binomial(
      approaches, static_cast<double>(w.card_sellers.size()) / static_cast<double>(w.residents.size()));
  // Each approach takes two numbers (whom, whether they agree), so they are
  // drawn a batch ahead, in the same order, and the residents' state and
  // cards sold (each a cache miss at large scales) fetched meanwhile.
  constexpr std::int64_t batch = 16;
  std::array<ResidentId, batch> whom{};
  std::array<double, batch> agree_u{};
  double still_short = short_cards;
  for (std::int64_t first = 0; first < reached && still_short > 0; first += batch) {
    const std::int64_t size = std::min(batch, reached - first);
    for (std::int64_t i = 0; i < size; ++i) {
      whom[i] = w.card_sellers[draws.below(w.card_sellers.size())];
      agree_u[i] = draws.uniform();
      engine::prefetch(&w.residents.state[whom[i]]);
      engine::prefetch(&w.residents.cards_sold[whom[i]]);
    }
    for (std::int64_t i = 0; i < size && still_short > 0; ++i) {
      const ResidentId r = whom[i];
      const double reoffend = w.residents.convicted(r) ? p.justice.reoffending_factor : 1.0;
      if (!(agree_u[i] < std::min(1.0, price_pull * reoffend) * (1.0 - levers_.card_sale_deterrence))) continue;
      if (!take_on(group, r)) continue;
      ++ctx_.today(day)[int(Series::card_sellers_recruited)];
      const auto& left = sellers_[group].left.back();
      still_short -= left[0] + left[1];
    }
  }
}

void CardSellers::record(DayCounts& today) const {
  double gangs = 0;
  for (const double g : gangs_) gangs += g;
  today[int(Series::active_card_sellers)] = active();
  today[int(Series::card_gangs)] = std::llround(gangs);
}

std::string CardSellers::check() const {
  std::ostringstream problems;
  const SellerNetworks& n = ctx_.params.cards.seller_networks;
  const int most = static_cast<int>(n.bank_cards_per_seller_max + n.sim_cards_per_seller_max);
  std::size_t listed = 0;
  for (std::size_t g = 0; g < sellers_.size(); ++g)
    for (std::size_t k = 0; k < sellers_[g].resident.size(); ++k) {
      const ResidentId r = sellers_[g].resident[k];
      const auto& left = sellers_[g].left[k];
      ++listed;
      if (!ctx_.world.residents.in_card_gang(r)) problems << "card seller " << r << " is listed in group " << g << " but not as active\n";
      if (ctx_.world.residents.cards_sold[r] + left[0] + left[1] > most)
        problems << "card seller " << r << " could sell more than " << most << " cards\n";
    }
  // Marked as in a gang: those listed, each once.
  const Residents& res = ctx_.world.residents;
  std::size_t marked = 0;
  for (std::int64_t r = 0; r < res.size(); ++r) marked += res.in_card_gang(static_cast<ResidentId>(r));
  if (listed != marked) problems << listed << " card sellers are listed in groups but " << marked << " are active\n";
  return problems.str();
}

}  // namespace fraudsim::model
