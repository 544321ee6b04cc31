#pragma once
// The output series the model counts, day by day, in agents; the writer
// scales them to real people, cases and yuan.
#include <array>
#include <cstdint>
#include <string_view>

namespace fraudsim::model {

enum class Series : std::uint8_t {
  registered_cases,
  victims,
  losses_yuan,
  payments_failed_no_card,
  cases_solved,
  suspects_arrested,
  calls_blocked,
  sms_blocked,
  domains_blocked,
  online_attempts_blocked,
  attempts_without_phone_card,
  contacts_delivered,
  people_dissuaded,
  job_offers,
  recruits,
  exits_blocked,
  smugglers_arrested,
  workers_abroad,
  trafficked_workers_abroad,
  persuaded_to_return,
  returned_unprompted,
  escaped_or_released,
  returned_voluntary,
  returned_trafficked,
  released_on_closure,
  raids,
  handed_over,
  handed_over_voluntary,
  handed_over_trafficked,
  leaders_arrested,
  financiers_arrested,
  groups_dismantled,
  compounds_open,
  compounds_opened,
  compounds_closed,
  relocations,
  cards_sold,
  mule_cards_active,
  sim_cards_active,
  card_sellers_arrested,
  card_sellers_punished,
  launderers_arrested,
  payments_stopped_yuan,
  laundered_yuan,
  commissions_yuan,
  in_transit_yuan,
  admin_punishments,
  criminal_detentions,
  released_from_detention,
  detained,
  open_cases,
  payments,
  payments_prevented_yuan,
  victimisations,
  people_warned,
  unreported_victimisations,
  unrecorded_reports,
  returnees_arrested,
  handed_over_arrested,
  case_suspects_arrested,
  detoured_yuan,
  card_sellers_cut_off,
  payments_rerouted_no_card,
  payments_abandoned_route,
  chinese_workers_abroad,
  foreign_workers_abroad,
  foreign_recruits,
  foreign_workers_left,
  foreign_workers_deported,
  foreign_victims,
  foreign_losses_yuan,
  foreign_reported_cases,
  active_card_sellers,
  card_sellers_recruited,
  card_gangs,
  count_
};
inline constexpr int num_series = static_cast<int>(Series::count_);

// A flow is summed over the days of a month; a stock is read on the month's last simulated day.
enum class Aggregation : std::uint8_t { flow, stock };
// Counts of people, cases, messages scale with the agents; money is counted
// in yuan per agent and scales the same way.
struct SeriesInfo {
  Series id;
  std::string_view name;
  std::string_view units;
  Aggregation aggregation;
  std::string_view description;
  // Counts of agents (people, cases, cards, yuan) are multiplied by the
  // scale; compounds, groups, their leaders and financiers, and raids are
  // simulated one for one and are not.
  bool scaled = true;
};

inline constexpr std::array<SeriesInfo, num_series> series_info = {{
    {Series::registered_cases, "registered_cases", "cases", Aggregation::flow, "victims' reports the police recorded, on the day the con ended"},
    {Series::victims, "victims", "people", Aggregation::flow, "people making the first payment of their first victimisation in the run (newly victimised)"},
    {Series::losses_yuan, "losses_yuan", "yuan", Aggregation::flow, "money victims paid into mule cards, every payment of every con"},
    {Series::payments_failed_no_card, "payments_failed_no_card", "payments", Aggregation::flow, "payments due that failed because the gang had no mule card and no route that needs none (the con then lapses)"},
    {Series::cases_solved, "cases_solved", "cases", Aggregation::flow, "cases the police solved, whenever they were registered"},
    {Series::suspects_arrested, "suspects_arrested", "people", Aggregation::flow, "arrests at home, of every kind: the sum of card_sellers_arrested, launderers_arrested, smugglers_arrested, returnees_arrested, handed_over_arrested and case_suspects_arrested"},
    {Series::calls_blocked, "calls_blocked", "calls", Aggregation::flow, "scam calls blocked before they rang"},
    {Series::sms_blocked, "sms_blocked", "messages", Aggregation::flow, "scam messages blocked before delivery"},
    {Series::domains_blocked, "domains_blocked", "domains", Aggregation::flow, "fraudulent domains and apps taken down"},
    {Series::online_attempts_blocked, "online_attempts_blocked", "attempts", Aggregation::flow, "online scam attempts that failed because their domain had been taken down"},
    {Series::attempts_without_phone_card, "attempts_without_phone_card", "attempts", Aggregation::flow, "call and SMS attempts not made for want of phone cards"},
    {Series::contacts_delivered, "contacts_delivered", "contacts", Aggregation::flow, "scam attempts that passed interception and reached a resident at home"},
    {Series::people_dissuaded, "people_dissuaded", "people", Aggregation::flow, "times a person about to pay a con was flagged and talked out of paying (the con stops)"},
    {Series::job_offers, "job_offers", "offers", Aggregation::flow, "high-salary job offers reaching job seekers at home"},
    {Series::recruits, "recruits", "people", Aggregation::flow, "recruits who left the country and joined a compound"},
    {Series::exits_blocked, "exits_blocked", "people", Aggregation::flow, "attempts by recruits to leave that exit control stopped"},
    {Series::smugglers_arrested, "smugglers_arrested", "people", Aggregation::flow, "arrests of organisers of illegal border crossings"},
    {Series::workers_abroad, "workers_abroad", "people", Aggregation::stock, "people working in compounds abroad, of every origin (chinese_workers_abroad + foreign_workers_abroad)"},
    {Series::trafficked_workers_abroad, "trafficked_workers_abroad", "people", Aggregation::stock, "residents held in compounds by force"},
    {Series::persuaded_to_return, "persuaded_to_return", "people", Aggregation::flow, "workers abroad persuaded to come home"},
    {Series::returned_unprompted, "returned_unprompted", "people", Aggregation::flow, "voluntary workers who came home of their own accord"},
    {Series::escaped_or_released, "escaped_or_released", "people", Aggregation::flow, "trafficked workers who escaped or were released and came home"},
    {Series::returned_voluntary, "returned_voluntary", "people", Aggregation::flow, "voluntary workers who came home (persuaded, unprompted, or their compound closed)"},
    {Series::returned_trafficked, "returned_trafficked", "people", Aggregation::flow, "trafficked workers who came home (escaped, released, or their compound closed)"},
    {Series::released_on_closure, "released_on_closure", "people", Aggregation::flow, "workers who came home because their group was dismantled and its compounds closed"},
    {Series::raids, "raids", "raids", Aggregation::flow, "raids on compounds in cross-border operations", false},
    {Series::handed_over, "handed_over", "people", Aggregation::flow, "workers captured in raids and handed over across the border"},
    {Series::handed_over_voluntary, "handed_over_voluntary", "people", Aggregation::flow, "handed over: voluntary workers"},
    {Series::handed_over_trafficked, "handed_over_trafficked", "people", Aggregation::flow, "handed over: trafficked workers"},
    {Series::leaders_arrested, "leaders_arrested", "people", Aggregation::flow, "leaders of family crime groups arrested", false},
    {Series::financiers_arrested, "financiers_arrested", "people", Aggregation::flow, "financiers of family crime groups arrested", false},
    {Series::groups_dismantled, "groups_dismantled", "groups", Aggregation::flow, "family crime groups dismantled (all leaders arrested)", false},
    {Series::compounds_open, "compounds_open", "compounds", Aggregation::stock, "compounds operating", false},
    {Series::compounds_opened, "compounds_opened", "compounds", Aggregation::flow, "compounds opened", false},
    {Series::compounds_closed, "compounds_closed", "compounds", Aggregation::flow, "compounds closed", false},
    {Series::relocations, "relocations", "compounds", Aggregation::flow, "raided compounds that moved to another jurisdiction", false},
    {Series::cards_sold, "cards_sold", "cards", Aggregation::flow, "bank and phone cards residents sold to gangs"},
    {Series::mule_cards_active, "mule_cards_active", "cards", Aggregation::stock, "mule bank cards gangs hold and can use"},
    {Series::sim_cards_active, "sim_cards_active", "cards", Aggregation::stock, "phone cards gangs hold and can use"},
    {Series::card_sellers_arrested, "card_sellers_arrested", "people", Aggregation::flow, "arrests of card sellers (card-breaking, traced hops, solved cases)"},
    {Series::card_sellers_punished, "card_sellers_punished", "people", Aggregation::flow, "card sellers given an administrative or criminal punishment"},
    {Series::launderers_arrested, "launderers_arrested", "people", Aggregation::flow, "arrests of domestic money launderers (traced hops, solved cases)"},
    {Series::payments_stopped_yuan, "payments_stopped_yuan", "yuan", Aggregation::flow, "money frozen anywhere on the laundering chain"},
    {Series::laundered_yuan, "laundered_yuan", "yuan", Aggregation::flow, "money that reached the groups"},
    {Series::commissions_yuan, "commissions_yuan", "yuan", Aggregation::flow, "money kept as commission by card holders and launderers"},
    {Series::in_transit_yuan, "in_transit_yuan", "yuan", Aggregation::stock, "money on the laundering chain, neither frozen nor arrived"},
    {Series::admin_punishments, "admin_punishments", "people", Aggregation::flow, "arrested people given an administrative punishment"},
    {Series::criminal_detentions, "criminal_detentions", "people", Aggregation::flow, "arrested people detained under criminal law"},
    {Series::released_from_detention, "released_from_detention", "people", Aggregation::flow, "people released at the end of a detention or sentence"},
    {Series::detained, "detained", "people", Aggregation::stock, "people in detention"},
    {Series::open_cases, "open_cases", "cases", Aggregation::stock, "registered cases not yet solved"},
    {Series::payments, "payments", "payments", Aggregation::flow, "payments victims made, into mule cards or by a route that needs none (a con may have several)"},
    {Series::payments_prevented_yuan, "payments_prevented_yuan", "yuan", Aggregation::flow, "money of the payment due when a warning stopped a con (later payments not counted)"},
    {Series::victimisations, "victimisations", "victimisations", Aggregation::flow, "cons in which a first payment was made; a person deceived twice counts twice"},
    {Series::people_warned, "people_warned", "people", Aggregation::flow, "warnings to people: recipients of scam contacts identified from leads, and people flagged about to pay; a person warned twice counts twice"},
    {Series::unreported_victimisations, "unreported_victimisations", "victimisations", Aggregation::flow, "victimisations whose victim did not report, on the day the con ended"},
    {Series::unrecorded_reports, "unrecorded_reports", "reports", Aggregation::flow, "victims' reports the police did not record as cases"},
    {Series::returnees_arrested, "returnees_arrested", "people", Aggregation::flow, "arrests of workers who came home from compounds abroad (voluntary or trafficked)"},
    {Series::handed_over_arrested, "handed_over_arrested", "people", Aggregation::flow, "arrests of workers captured in raids abroad and handed over"},
    {Series::case_suspects_arrested, "case_suspects_arrested", "people", Aggregation::flow, "arrests of further accomplices at home found by solving cases (beyond card sellers and launderers)"},
    {Series::detoured_yuan, "detoured_yuan", "yuan", Aggregation::flow, "money that left a first-level card by a costlier route without a second-level card, after its commission"},
    {Series::card_sellers_cut_off, "card_sellers_cut_off", "people", Aggregation::stock, "willing card sellers cut off from the market because their card gang was broken"},
    {Series::payments_rerouted_no_card, "payments_rerouted_no_card", "payments", Aggregation::flow, "payments due by a route that needs a mule card, asked by a route that needs none because the gang had no card"},
    {Series::payments_abandoned_route, "payments_abandoned_route", "payments", Aggregation::flow, "payments due that were not made because the victim could not pay by the route the gang asked for and the gang had no mule card to offer instead (the con then lapses)"},
    {Series::chinese_workers_abroad, "chinese_workers_abroad", "people", Aggregation::stock, "residents of the home country working in compounds abroad"},
    {Series::foreign_workers_abroad, "foreign_workers_abroad", "people", Aggregation::stock, "people of the other origins (origins in the scenario) working in compounds abroad"},
    {Series::foreign_recruits, "foreign_recruits", "people", Aggregation::flow, "recruits of the other origins arriving in compounds"},
    {Series::foreign_workers_left, "foreign_workers_left", "people", Aggregation::flow, "workers of the other origins who left compounds: escaped, released, went or were brought home, or let go when their compound closed"},
    {Series::foreign_workers_deported, "foreign_workers_deported", "people", Aggregation::flow, "workers of the other origins captured in raids and deported to their origin (not handed over to the home country)"},
    {Series::foreign_victims, "foreign_victims", "people", Aggregation::flow, "people deceived in the foreign victim markets (markets in the scenario), on the day they paid"},
    {Series::foreign_losses_yuan, "foreign_losses_yuan", "yuan", Aggregation::flow, "money victims in the foreign markets paid, converted to yuan"},
    {Series::foreign_reported_cases, "foreign_reported_cases", "cases", Aggregation::flow, "victims in the foreign markets who reported to their police"},
    {Series::active_card_sellers, "active_card_sellers", "people", Aggregation::stock, "residents recruited by card gangs who still supply cards (0 unless cards.seller_networks is enabled)"},
    {Series::card_sellers_recruited, "card_sellers_recruited", "people", Aggregation::flow, "residents who agreed to sell their own cards to a card gang (0 unless cards.seller_networks is enabled)"},
    {Series::card_gangs, "card_gangs", "gangs", Aggregation::stock, "card gangs recruiting sellers, rounded to whole gangs (0 unless cards.seller_networks is enabled)", false},
}};

// One day's counts, indexed by Series; integer, so sums are exact in any order.
using DayCounts = std::array<std::int64_t, num_series>;

}  // namespace fraudsim::model

namespace fraudsim::model {
constexpr bool series_info_in_order() {
  for (int i = 0; i < num_series; ++i)
    if (static_cast<int>(series_info[i].id) != i) return false;
  return true;
}
static_assert(series_info_in_order(), "series_info must list the series in the order of the enum");
}  // namespace fraudsim::model
