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
  cases_solved,
  suspects_arrested,
  calls_blocked,
  sms_blocked,
  domains_blocked,
  online_attempts_blocked,
  contacts_delivered,
  people_dissuaded,
  job_offers,
  recruits,
  exits_blocked,
  workers_abroad,
  trafficked_workers_abroad,
  persuaded_to_return,
  returned_unprompted,
  escaped_or_released,
  open_cases,
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
};

inline constexpr std::array<SeriesInfo, num_series> series_info = {{
    {Series::registered_cases, "registered_cases", "cases", Aggregation::flow, "victimisations reported to the police"},
    {Series::victims, "victims", "people", Aggregation::flow, "victimisations, reported or not (the dark figure included); a person deceived twice counts twice"},
    {Series::losses_yuan, "losses_yuan", "yuan", Aggregation::flow, "money victims paid to fraudsters"},
    {Series::cases_solved, "cases_solved", "cases", Aggregation::flow, "registered cases the police solved"},
    {Series::suspects_arrested, "suspects_arrested", "people", Aggregation::flow,
     "suspects arrested at home: accomplices of solved cases and workers arrested on return"},
    {Series::calls_blocked, "calls_blocked", "calls", Aggregation::flow, "scam calls blocked before they rang"},
    {Series::sms_blocked, "sms_blocked", "messages", Aggregation::flow, "scam messages blocked before delivery"},
    {Series::domains_blocked, "domains_blocked", "domains", Aggregation::flow, "fraudulent domains and apps taken down"},
    {Series::online_attempts_blocked, "online_attempts_blocked", "attempts", Aggregation::flow,
     "online scam attempts that failed because their domain had been taken down"},
    {Series::contacts_delivered, "contacts_delivered", "contacts", Aggregation::flow,
     "scam attempts that passed interception and reached a resident at home"},
    {Series::people_dissuaded, "people_dissuaded", "people", Aggregation::flow,
     "times a person was flagged while being defrauded and talked out of paying"},
    {Series::job_offers, "job_offers", "offers", Aggregation::flow, "high-salary job offers reaching job seekers at home"},
    {Series::recruits, "recruits", "people", Aggregation::flow, "recruits who left the country and joined a compound"},
    {Series::exits_blocked, "exits_blocked", "people", Aggregation::flow, "attempts by recruits to leave that exit control stopped"},
    {Series::workers_abroad, "workers_abroad", "people", Aggregation::stock, "residents working in compounds abroad"},
    {Series::trafficked_workers_abroad, "trafficked_workers_abroad", "people", Aggregation::stock,
     "residents held in compounds by force"},
    {Series::persuaded_to_return, "persuaded_to_return", "people", Aggregation::flow,
     "workers abroad persuaded to come home"},
    {Series::returned_unprompted, "returned_unprompted", "people", Aggregation::flow,
     "voluntary workers who came home of their own accord"},
    {Series::escaped_or_released, "escaped_or_released", "people", Aggregation::flow,
     "trafficked workers who escaped or were released and came home"},
    {Series::open_cases, "open_cases", "cases", Aggregation::stock, "registered cases not yet solved"},
}};

// One day's counts, indexed by Series; integer, so sums are exact in any order.
using DayCounts = std::array<std::int64_t, num_series>;

}  // namespace fraudsim::model
