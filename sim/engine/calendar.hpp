#pragma once
// Dates of the simulated calendar: whole days, proleptic Gregorian, no time zones.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fraudsim::engine {

// A civil date held as the number of days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static constexpr Date from_days(std::int32_t days_since_epoch) { return Date(days_since_epoch); }
  static Date from_ymd(int year, unsigned month, unsigned day);  // asserts validity
  // Strict YYYY-MM-DD; nullopt if the text is not a real date.
  static std::optional<Date> parse(std::string_view text);

  constexpr std::int32_t days_since_epoch() const { return days_; }
  int year() const;
  unsigned month() const;  // 1..12
  unsigned day() const;    // 1..31
  std::string iso() const;        // YYYY-MM-DD
  std::string year_month() const; // YYYY-MM
  // Months since year 0, to index monthly series (month_index(b) - month_index(a)).
  int month_index() const { return year() * 12 + static_cast<int>(month()) - 1; }

  constexpr Date operator+(std::int32_t days) const { return Date(days_ + days); }
  constexpr std::int32_t operator-(Date other) const { return days_ - other.days_; }
  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  std::int32_t days_ = 0;
};

// The simulated period [start, end], both days included, stepped one day at a time.
class Calendar {
 public:
  Calendar(Date start, Date end);  // asserts start <= end
  Date start() const { return start_; }
  Date end() const { return end_; }
  std::int32_t num_days() const { return end_ - start_ + 1; }
  int num_months() const { return end_.month_index() - start_.month_index() + 1; }
  Date date(std::int32_t day) const { return start_ + day; }
  // Index of the calendar month that holds simulated day `day` (0 = the first month).
  int month_of(std::int32_t day) const { return date(day).month_index() - start_.month_index(); }
  bool is_last_day_of_month(std::int32_t day) const;

 private:
  Date start_, end_;
};

}  // namespace fraudsim::engine
