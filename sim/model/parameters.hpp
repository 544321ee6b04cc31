#pragma once
// The model's parameters, as the scenario file gives them. Every field is
// declared (name, unit, bounds, meaning) in parameters.cpp; docs/scenario.md
// is generated from those declarations.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <optional>

#include "engine/calendar.hpp"
#include "input/fields.hpp"

namespace fraudsim::model {

using input::Fields;

// Scam contact channels. Their order is the order of the per-channel arrays.
enum class Channel : std::uint8_t { call = 0, sms = 1, online = 2 };
inline constexpr int num_channels = 3;
inline constexpr std::array<const char*, num_channels> channel_names = {"call", "sms", "online"};

struct Region {
  std::string name;
  double population_share = 0;
  double job_seeker_share = 0;  // of working-age residents, seeking work at any time
  bool border = false;          // on the land border: smugglers live here
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
  double effort_share = 0;            // share of scam attempts that use this script, before adaptation
  double engagement_probability = 0;  // a delivered contact deceives an unaware person of median susceptibility
  double loss_median_yuan = 0;
  double loss_log_sd = 0;             // sd of log loss (lognormal)
  double detectability = 1;           // multiplies the early-warning dissuasion probability
  // A victimisation is one or more payments (model/victimisation.hpp); loss_median_yuan is the first's.
  double payments_expected = 1;       // payments of a con nothing stops (geometric)
  double payment_escalation = 1;      // each payment is this many times the one before
  double days_between_payments = 1;   // mean days from one payment to the next
  double report_factor = 1;           // multiplies the probability that a victim reports
  std::optional<engine::Date> introduced;  // first day gangs use it (none: from the start)
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
  std::int64_t max_compounds = 0;       // room: most compounds it can host
  double protection = 0;                // armed protection: share of a raid's capture it prevents
  // What a group weighs when it chooses where to open or move a compound.
  double enforcement = 0;     // the host state's will and means to act on compounds, 0-1, before dated changes
  double operating_cost = 0;  // land, bribes and protection money, 0 (cheapest) to 1 (dearest)
  std::optional<engine::Date> available_from;  // first day a compound may open there (none: from the start)
  void describe(Fields& f);
};

// Family crime groups: leaders and financiers (the same for every group).
struct GroupParameters {
  std::int64_t leaders_per_group = 1;
  std::int64_t financiers_per_group = 1;
  double financier_replacement_per_year = 0;  // hazard that a missing financier is replaced
  double new_compounds_per_year = 0;          // compounds a group with all its leaders opens when full
  double full_occupancy = 1;                  // a group is full when its workforce reaches this share of capacity
  double relocation_probability = 0;          // a raided compound moves to another jurisdiction with room
  double raid_pressure_half_life_days = 1;    // how long raids deter new compounds in a jurisdiction
  // How strongly enforcement and cost steer where compounds open and move
  // (0: only room and raid pressure count).
  double location_sensitivity = 0;
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
  double illegal_exit_share = 0;  // of recruits leaving, by illegal border crossing through a smuggler
  void describe(Fields& f);
};

// Organisers of illegal border crossings, part of the exit route.
struct Smuggling {
  double smugglers = 0;                    // people, in the border provinces, at the start
  double crossings_per_smuggler_per_day = 0;
  double replacement_per_year = 0;         // hazard that a missing smuggler is replaced
  void describe(Fields& f);
};

// Card sellers as a stock that card gangs recruit (docs/model.md, 7.7): a
// gang approaches residents, those willing to sell (the seller_share trait)
// may agree and then supply their own few bank accounts and phone numbers
// as the group needs them, until they quit, are arrested, their gang is
// broken or they have nothing left to sell.
struct SellerNetworks {
  bool enabled = false;  // off: any willing resident sells any number of cards
  double active_sellers_per_gang = 5;      // at the start: what sets the number of gangs
  double approaches_per_gang_per_day = 0;  // residents a card gang approaches a day, at most
  std::int64_t bank_cards_per_seller_min = 2;  // a person's own bank accounts, drawn uniformly
  std::int64_t bank_cards_per_seller_max = 6;
  std::int64_t sim_cards_per_seller_min = 2;   // and phone numbers
  std::int64_t sim_cards_per_seller_max = 5;
  double quit_per_year = 0;  // hazard an active seller stops of their own accord
  void describe(Fields& f);
};

// Mule bank cards and phone (SIM) cards bought from residents.
struct CardParameters {
  double seller_share = 0;               // residents willing to sell a card at the reference price
  double reference_price_yuan = 0;       // price per card when the stock is at its target
  double price_response = 0;             // price = reference * (target / stock) ^ response
  double price_elasticity = 0;           // sale probability scales as (price / reference) ^ elasticity
  double approaches_per_missing_card_per_day = 0;
  double bank_cards_per_worker = 0;      // stock a group aims to hold
  double sim_cards_per_worker = 0;
  std::int64_t payments_per_bank_card = 1;   // transfers a card takes before it is dropped
  double sim_attempts_per_card_per_day = 0;  // call and SMS attempts one SIM card supports
  double sim_lifetime_days = 1;              // mean days before a SIM card is burned
  // Sellers ask a premium for the risk of arrest that card-breaking puts on
  // them: price multiplied by 1 + risk_premium * (yearly arrest risk).
  double risk_premium = 0;
  // Sellers are recruited by card gangs: an arrested seller's gang is broken
  // with network_break_per_arrest, cutting its network_size_sellers sellers
  // off the market until it is rebuilt (mean network_rebuild_days).
  double network_size_sellers = 0;  // 0: no networks
  double network_break_per_arrest = 0;
  double network_rebuild_days = 1;
  // Gangs recruit faster when cards sell dear: the rebuild rate scales as
  // (yesterday's average price / reference price) ^ this.
  double network_recruitment_price_elasticity = 0;
  SellerNetworks seller_networks;
  void describe(Fields& f);
};

// The hops a payment travels, in order, from the victim to the group.
enum class Hop : std::uint8_t { first_level_card, second_level_card, payment_channel, underground_bank, virtual_currency };
inline constexpr int num_hops = 5;
inline constexpr std::array<const char*, num_hops> hop_names = {"first_level_card", "second_level_card", "payment_channel",
                                                               "underground_bank", "virtual_currency"};
inline constexpr bool hop_uses_card(int hop) { return hop <= static_cast<int>(Hop::second_level_card); }

struct HopParameters {
  std::int64_t delay_days = 0;     // days the money sits at this hop before moving on
  double freeze_probability = 0;   // baseline (bank controls), before interventions
  double trace_probability = 0;    // baseline, before interventions
  double commission_share = 0;     // kept by whoever operates the hop
  void describe(Fields& f);
};

// A way money takes from the victim to the group: the victim pays into the
// route's entry (a mule bank card at the first hop, a payment platform's
// merchant account at the payment channel, a stablecoin wallet at the
// virtual-currency hop) and the money then passes the chain's hops from
// there. Only a route entering at the first-level card needs a mule card.
struct LaunderingRoute {
  std::string name;
  std::string entry_hop = hop_names[0];
  double freeze_probability = 0;      // at entry, before the hops' own chances
  double trace_probability = 0;       // at entry
  double commission_share = 0;        // the route's own cost: an OTC dealer's premium, a platform's cut
  std::int64_t delay_days = 0;        // days at entry before the money reaches its first hop
  double completion_probability = 1;  // a victim asked to pay this way manages to
  int entry() const;
  bool needs_card() const { return entry() == static_cast<int>(Hop::first_level_card); }
  void describe(Fields& f);
};

struct Laundering {
  std::array<HopParameters, num_hops> hops{};
  // Routes (none: every payment takes the card chain). Groups choose a route
  // per payment in proportion to (expected retained share) ^ route_elasticity,
  // and their shares move to today's choice with mean lag route_switch_days.
  std::vector<LaunderingRoute> routes;
  double route_elasticity = 0;
  double route_switch_days = 1;
  double typical_payment_yuan = 10000;  // what a card's price is spread over, per payment
  double launderers_per_group = 0;             // domestic money launderers (people) per group
  double arrest_per_lead = 0;                  // a traced hop leads to the arrest of the person behind it
  double financier_arrest_per_lead = 0;        // a traced virtual-currency hop leads to a financier's arrest
  // Money waiting for a second-level card this many days moves on by a
  // costlier route (a payment platform or a cash courier) that needs no card
  // (0: it waits for a card however long).
  std::int64_t detour_after_days = 0;
  double detour_commission_share = 0;          // kept by the detour's operators
  void describe(Fields& f);
};

// Gangs shift effort away from what is blocked more.
struct Adaptation {
  double channel_elasticity = 0;   // channel effort scales as (1 - block probability) ^ elasticity
  double category_elasticity = 0;  // category effort scales as (1 - dissuasion probability) ^ elasticity
  void describe(Fields& f);
};

// What happens to the people arrested.
struct Justice {
  double administrative_share_card_sellers = 0;  // punished administratively rather than detained criminally
  double administrative_share_others = 0;
  std::int64_t administrative_detention_days = 0;
  double sentence_median_months = 1;
  double sentence_log_sd = 0;
  double sentence_min_months = 0;
  double sentence_max_months = 1;
  double reoffending_factor = 1;  // after release, multiplies the propensity to sell cards and to accept offers
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
  double engagement_factor = 1;                 // multiplies every category's engagement probability
  double individual_susceptibility_log_sd = 0;  // person-to-person spread (lognormal, median 1)
  double repeat_victim_factor = 1;              // engagement multiplier for people deceived before
  double awareness_after_victimisation = 0;     // personal awareness a victim gains
  double awareness_after_dissuasion = 0;        // personal awareness a dissuaded person gains
  double report_probability = 0;                // a victim reports, at zero awareness
  double report_probability_aware = 0;          // ... at full awareness
  double report_reference_loss_yuan = 10000;    // the loss at which the two above hold
  double report_loss_elasticity = 0;            // report probability scales as (loss / reference) ^ elasticity
  double recording_probability = 1;             // the police record a report as a registered case
  double awareness_after_warning = 0;           // personal awareness a person warned from a lead gains
  void describe(Fields& f);
};

// A source region of workers other than the home country (whose workers are
// the resident agents). Its workers are counts per compound, not residents.
struct Origin {
  std::string name;
  double initial_workforce = 0;             // people in compounds at the start date, all jurisdictions
  double recruits_per_vacancy_per_day = 0;  // recruits arriving per empty place per day (its supply)
  double trafficked_share = 0;              // of its recruits who arrive, held by force
  double escape_per_year = 0;               // trafficked workers who escape
  double release_per_year = 0;              // trafficked workers released
  double return_per_year = 0;               // voluntary workers who go home of their own accord
  double exit_block_probability = 0;        // its exit controls: a recruit is stopped (0: none)
  std::optional<engine::Date> exit_control_start;  // from this day (none: from the start)
  double repatriation_per_year = 0;         // its return policy: voluntary workers brought home (0: none)
  std::optional<engine::Date> repatriation_start;  // from this day (none: from the start)
  std::vector<std::string> markets;         // foreign victim markets its workers can work (language)
  void describe(Fields& f);
};

// A victim market outside the home country, at a coarse grain: no agents,
// its victims are counts drawn per compound and day.
struct Market {
  std::string name;
  double population = 0;             // people
  double initial_effort_weight = 0;  // relative effort compounds put on it at the start, among foreign markets
  double deception_probability = 0; // a delivered contact deceives someone (susceptibility)
  double defence_share = 0;          // of attempts blocked, or of victims dissuaded before paying
  std::optional<engine::Date> defence_rise_date;  // a dated rise of its defences (none: none)
  double defence_share_after_rise = 0;
  double report_probability = 0;     // a victim reports to its police
  double loss_median = 0;            // in its currency
  double loss_log_sd = 0;
  double yuan_per_unit = 1;          // conversion of its currency to yuan
  void describe(Fields& f);
};

// How compounds move effort between victim markets as returns change.
struct MarketAllocation {
  // A target share is the initial share times (return per attempt today /
  // at the start) ^ elasticity, renormalised.
  double return_elasticity = 1;
  double reallocation_per_year = 1;         // rate at which the share moves towards its target
  double chinese_worker_foreign_share = 0;  // of home-country workers' effort on foreign markets at the start (language)
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
  double investigation_capacity_cases_per_day = 0;  // cases the police can solve per day, nationwide, at the reference caseload
  double solve_probability_per_day = 0;             // an open case is solved on a given day, capacity allowing
  // Capacity grows with the backlog above a reference: capacity scales as
  // (open cases / reference) ^ elasticity (0: it does not grow).
  double caseload_elasticity = 0;
  double reference_open_cases = 1;
  double arrest_per_solved_case = 0;                // solving a case leads to the seller of its first mule card
  double launderer_arrest_per_solved_case = 0;      // ... and to one of the group's launderers
  double other_suspects_per_solved_case = 0;        // further accomplices at home arrested per solved case (mean)
  void describe(Fields& f);
};

// Everything the model reads: the world, its people and how they behave.
// The scenario (sim/scenario) adds the interventions, which act on the model
// only through the levers (model/levers.hpp) they set each day.
struct Parameters {
  std::string name;
  std::string description;
  engine::Date start_date;
  engine::Date end_date;
  std::int64_t seed = 0;
  double population = 0;   // people in the home country
  std::int64_t scale = 1;  // people per resident agent
  std::vector<Region> regions;
  std::vector<AgeBand> age_bands;
  std::vector<FraudCategory> fraud_categories;
  ChannelMix channels;
  std::vector<Jurisdiction> jurisdictions;
  GroupParameters groups;
  Recruitment recruitment;
  Smuggling smuggling;
  WorkerBehaviour workers;
  CardParameters cards;
  Laundering laundering;
  Adaptation adaptation;
  Victims victims;
  Awareness awareness;
  Police police;
  Justice justice;
  std::vector<Origin> origins;  // other source regions of workers (none: home-country workers only)
  std::vector<Market> markets;  // foreign victim markets (none: the home country only)
  MarketAllocation market_allocation;

  void describe(Fields& f);
  std::int64_t num_residents() const;  // population / scale, rounded
};

}  // namespace fraudsim::model
