#pragma once
// The state of the simulated world that several modules share: populations
// as structures of arrays, indexed by agent id, with the smallest types that
// hold their values; the pools drawn from; the records the output reads.
// What one mechanism alone keeps (today's levers, public awareness, money in
// transit, open cases...) lives in its module.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/columns.hpp"

namespace fraudsim::model {

enum class Status : std::uint8_t { home = 0, abroad = 1, detained = 2 };

// Resizes the columns of a population together.
template <class... Columns>
void resize_columns(std::int64_t size, Columns&... columns) {
  (columns.resize(static_cast<std::size_t>(size)), ...);
}

using ResidentId = std::uint32_t;
using CardId = std::uint32_t;
inline constexpr CardId no_card = UINT32_MAX;

// About 8 bytes per resident: the whole population of a large country must
// fit in the memory of one machine (docs/performance.md). The traits a
// resident keeps from birth (age band, susceptibility class) are not stored
// but computed from their own draws when read (model/population.hpp,
// BornTraits).
struct Residents {
  // Regions are contiguous blocks of ids (their order carries no meaning):
  // region k holds the ids below region_end[k] and not below region_end[k - 1].
  std::vector<std::int64_t> region_end;
  // The status (bits 0-1) and five yes/no traits, in one byte per resident.
  engine::Column<std::uint8_t> state;
  engine::Column<std::uint8_t> cards_sold;      // cards sold so far (saturates at 255)
  // Personal awareness from experience, as of awareness_day (a simulated day;
  // the scenario check keeps runs within 65,536 days); it decays between
  // touches and is brought up to date only when read or changed.
  engine::Column<float> awareness;
  engine::Column<std::uint16_t> awareness_day;
  // Residents who left home (abroad or detained) while marked as active
  // sellers of a card gang, since CardSellers last tended its lists: every
  // other listed seller is at home, so the gangs need not read the state of
  // each of their sellers every day, a cache miss each at large scales
  // (docs/performance.md, change 14). Statuses change in serial code only.
  std::vector<ResidentId> gang_sellers_gone;

  // Who is away from home (abroad or detained), as a bit per block of 16
  // ids, set while someone of the block is away: most ids drawn at random
  // fall in a block with nobody away, and are known to be at home without
  // reading their state byte, a cache miss at large scales (110 KB at 1:100
  // instead of 14 MB; docs/performance.md, change 20). Kept by set_status;
  // everyone starts at home.
  static constexpr int away_block_shift = 4;
  std::vector<std::uint64_t> away_blocks;

  static constexpr std::uint8_t status_bits = 0x03;
  static constexpr std::uint8_t job_seeker_bit = 0x04;   // seeking work
  static constexpr std::uint8_t card_seller_bit = 0x08;  // willing to sell a card at the reference price
  static constexpr std::uint8_t convicted_bit = 0x10;    // released from detention at least once
  static constexpr std::uint8_t card_gang_bit = 0x20;    // an active seller of a card gang (CardSellers)
  // Deceived and paid at least once: all the model asks of a person's
  // history of victimisation (a repeat victim engages more readily).
  static constexpr std::uint8_t victimised_bit = 0x40;

  std::int64_t size() const { return static_cast<std::int64_t>(state.size()); }
  // New residents' columns are left uninitialised, for their first writer
  // (the set-up, which puts everyone at home: nobody is counted away).
  void resize(std::int64_t n) {
    resize_columns(n, state, cards_sold, awareness, awareness_day);
    const auto blocks = static_cast<std::size_t>((n + (std::int64_t{1} << away_block_shift) - 1) >> away_block_shift);
    away_blocks.assign((blocks + 63) / 64, 0);
  }
  std::uint8_t region(ResidentId r) const {
    return static_cast<std::uint8_t>(std::upper_bound(region_end.begin(), region_end.end(), std::int64_t{r}) -
                                     region_end.begin());
  }
  Status status(ResidentId r) const { return static_cast<Status>(state[r] & status_bits); }
  bool at_home(ResidentId r) const {
    const ResidentId block = r >> away_block_shift;
    if (!((away_blocks[block >> 6] >> (block & 63)) & 1)) return true;  // nobody of the block away
    return (state[r] & status_bits) == static_cast<std::uint8_t>(Status::home);
  }
  bool job_seeker(ResidentId r) const { return state[r] & job_seeker_bit; }
  bool card_seller(ResidentId r) const { return state[r] & card_seller_bit; }
  bool convicted(ResidentId r) const { return state[r] & convicted_bit; }
  bool in_card_gang(ResidentId r) const { return state[r] & card_gang_bit; }
  bool victimised(ResidentId r) const { return state[r] & victimised_bit; }
  void set_status(ResidentId r, Status status) {
    if (status != Status::home && (state[r] & card_gang_bit)) gang_sellers_gone.push_back(r);
    state[r] = static_cast<std::uint8_t>((state[r] & ~status_bits) | static_cast<std::uint8_t>(status));
    const ResidentId block = r >> away_block_shift;
    const std::uint64_t bit = std::uint64_t{1} << (block & 63);
    if (status != Status::home) {
      away_blocks[block >> 6] |= bit;
      return;
    }
    // Home again: the block's bit stays if anyone else of it is away.
    const std::size_t first = std::size_t{block} << away_block_shift;
    const std::size_t end = std::min(state.size(), first + (std::size_t{1} << away_block_shift));
    for (std::size_t i = first; i < end; ++i)
      if (state[i] & status_bits) return;
    away_blocks[block >> 6] &= ~bit;
  }
  void set_convicted(ResidentId r) { state[r] |= convicted_bit; }
  void set_victimised(ResidentId r) { state[r] |= victimised_bit; }
  void set_in_card_gang(ResidentId r, bool in) {
    state[r] = static_cast<std::uint8_t>(in ? state[r] | card_gang_bit : state[r] & ~card_gang_bit);
  }
};

// Residents of some regions, in id order. Regions are contiguous blocks of
// ids, so these are kept as blocks instead of a list of ids (4 bytes per
// resident); element k is the k-th id of the list they stand for.
class IdBlocks {
 public:
  // Appends the ids [first, end), above every id already in.
  void add(ResidentId first, ResidentId end) {
    if (end <= first) return;
    first_.push_back(first);
    start_.push_back(size_);
    size_ += end - first;
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ResidentId operator[](std::size_t k) const {
    std::size_t block = first_.size() - 1;  // blocks are few (one per region): a linear search
    while (start_[block] > k) --block;
    return static_cast<ResidentId>(first_[block] + (k - start_[block]));
  }

 private:
  std::vector<ResidentId> first_;   // first id of each block
  std::vector<std::size_t> start_;  // its position in the list
  std::size_t size_ = 0;
};

// Residents working in compounds abroad (a resident is in here exactly when
// their status is `abroad`).
struct Workers {
  std::vector<ResidentId> resident;
  std::vector<std::uint16_t> compound;
  std::vector<std::uint8_t> trafficked;
  std::int64_t size() const { return static_cast<std::int64_t>(resident.size()); }
};

struct Compounds {
  std::vector<std::uint8_t> jurisdiction;  // where it is now (relocation changes it)
  std::vector<std::uint16_t> group;        // controlling family crime group
  std::vector<double> initial_capacity;    // agents, at the start date
  std::vector<std::int32_t> workforce;     // agents: residents (home-country workers)
  std::vector<std::int32_t> foreign_workforce;  // agents of every other origin (CompoundsModule keeps them by origin)
  std::vector<std::uint8_t> open;          // 0 once closed
  std::vector<std::int32_t> opened_day;    // -1: open at the start
  std::vector<std::int32_t> closed_day;    // -1: still open
  std::vector<std::uint8_t> first_jurisdiction;  // where it opened
  std::vector<std::int32_t> serial;        // its number within its first jurisdiction, for its name
  std::int64_t size() const { return static_cast<std::int64_t>(workforce.size()); }
  std::int64_t all_workers(std::int64_t c) const { return std::int64_t{workforce[c]} + foreign_workforce[c]; }
};

struct Groups {
  std::vector<std::uint8_t> home_jurisdiction;
  std::vector<std::int32_t> leaders;     // still free
  std::vector<std::int32_t> financiers;  // still free
  std::vector<std::uint8_t> dismantled;
  std::vector<double> card_price_yuan;
  std::vector<std::vector<CardId>> bank_cards;  // active mule bank cards
  std::vector<std::vector<CardId>> sim_cards;   // active phone cards
  std::vector<std::vector<ResidentId>> launderers;
  std::int64_t size() const { return static_cast<std::int64_t>(leaders.size()); }
};

enum class CardKind : std::uint8_t { bank = 0, sim = 1 };
enum class CardState : std::uint8_t { active = 0, frozen = 1, used_up = 2, cancelled = 3 };

struct Cards {
  std::vector<ResidentId> seller;
  std::vector<std::uint16_t> group;
  std::vector<std::uint8_t> kind;       // CardKind
  std::vector<std::uint8_t> state;      // CardState
  std::vector<std::int32_t> uses_left;  // transfers a bank card still takes
  std::vector<std::uint32_t> slot;      // its position in its group's active list
  std::int64_t size() const { return static_cast<std::int64_t>(seller.size()); }
  void resize(std::int64_t n) { resize_columns(n, seller, group, kind, state, uses_left, slot); }
};

// One victim payment, kept for the transaction table and for case leads.
struct Payment {
  ResidentId victim;
  std::uint16_t group;
  std::uint8_t category;
  CardId first_card;
  std::int32_t day;
};

enum class EventType : std::uint8_t {
  raid, handover, relocation, leader_arrest, financier_arrest, compound_opened, compound_closed, group_dismantled
};
inline constexpr std::array<const char*, 8> event_type_names = {
    "raid", "handover", "relocation", "leader_arrest", "financier_arrest", "compound_opened", "compound_closed",
    "group_dismantled"};

struct Event {
  std::int32_t day;
  EventType type;
  std::int32_t compound;      // -1 if none
  std::int32_t jurisdiction;  // -1 if none
  std::int32_t group;         // -1 if none
  std::int64_t count;         // people (agents) the event concerns
};

// One movement (or freeze) of money, for the labelled transaction table
// (--transactions). `source` is where the money was: 0 the victim, h + 1
// hop h. A frozen record has no destination (to_account -1).
struct TransactionRecord {
  std::int32_t day;
  std::int64_t from_account, to_account;
  std::int64_t amount_yuan;
  std::uint32_t payment;
  std::uint8_t source;
  bool frozen, traced;
  bool detour = false;  // moved by a costlier route for want of a second-level card
  std::uint8_t route = 0;  // index into laundering.routes (0 without routes: the card chain)
};

struct World {
  Residents residents;
  Workers workers;
  Compounds compounds;
  Groups groups;
  Cards cards;
  engine::Column<ResidentId> job_seekers;             // in id order, so by region
  std::vector<std::size_t> job_seekers_region_start;  // where each region starts in job_seekers, then the end
  IdBlocks border_residents;                 // where smugglers come from
  engine::Column<ResidentId> card_sellers;   // residents willing to sell a card
  std::vector<Payment> payments;
  std::int64_t detained = 0;                 // residents in detention, kept by the justice pipeline
  std::vector<Event> events;
  std::vector<TransactionRecord> transactions;        // filled only when recording them

  std::span<const ResidentId> job_seekers_in(std::uint8_t region) const {
    return std::span<const ResidentId>(job_seekers)
        .subspan(job_seekers_region_start[region], job_seekers_region_start[region + 1u] - job_seekers_region_start[region]);
  }
};

}  // namespace fraudsim::model
