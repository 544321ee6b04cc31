#include "engine/calendar.hpp"

#include <cassert>
#include <charconv>
#include <cstdio>

namespace fraudsim::engine {

namespace {
std::chrono::year_month_day ymd(Date d) {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{d.days_since_epoch()}}};
}
}  // namespace

Date Date::from_ymd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}};
  assert(date.ok());
  return Date(static_cast<std::int32_t>(std::chrono::sys_days{date}.time_since_epoch().count()));
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + pos;
    const auto [ptr, ec] = std::from_chars(first, first + len, value);
    if (ec != std::errc{} || ptr != first + len) return std::nullopt;
    return value;
  };
  const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || *m < 1 || *d < 1) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                         std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return Date(static_cast<std::int32_t>(std::chrono::sys_days{date}.time_since_epoch().count()));
}

int Date::year() const { return static_cast<int>(ymd(*this).year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd(*this).month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd(*this).day()); }

std::string Date::iso() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", year(), month(), day());
  return text;
}

std::string Date::year_month() const { return iso().substr(0, 7); }

Calendar::Calendar(Date start, Date end) : start_(start), end_(end) { assert(start <= end); }

bool Calendar::is_last_day_of_month(std::int32_t day) const {
  return day + 1 >= num_days() || date(day + 1).month() != date(day).month();
}

}  // namespace fraudsim::engine
