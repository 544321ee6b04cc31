#include <catch2/catch.hpp>

#include "engine/calendar.hpp"

using fraudsim::engine::Calendar;
using fraudsim::engine::Date;

TEST_CASE("dates parse strictly and print back", "[calendar]") {
  REQUIRE(Date::parse("2021-06-01").has_value());
  CHECK(Date::parse("2021-06-01")->iso() == "2021-06-01");
  CHECK(Date::parse("2020-02-29").has_value());   // leap year
  CHECK_FALSE(Date::parse("2021-02-29").has_value());
  CHECK_FALSE(Date::parse("2100-02-29").has_value());  // not a leap year
  CHECK(Date::parse("2000-02-29").has_value());
  CHECK_FALSE(Date::parse("2021-13-01").has_value());
  CHECK_FALSE(Date::parse("2021-6-1").has_value());
  CHECK_FALSE(Date::parse("2021-06-01x").has_value());
  CHECK_FALSE(Date::parse("June 2021").has_value());
  CHECK_FALSE(Date::parse("").has_value());
  CHECK(Date::from_ymd(1970, 1, 1).days_since_epoch() == 0);
  CHECK(Date::from_ymd(2022, 12, 1).year_month() == "2022-12");
}

TEST_CASE("the calendar counts days and months of the period", "[calendar]") {
  const Calendar calendar(Date::from_ymd(2019, 1, 1), Date::from_ymd(2024, 12, 31));
  CHECK(calendar.num_days() == 2192);  // 2020 and 2024 are leap years
  CHECK(calendar.num_months() == 72);
  CHECK(calendar.date(0).iso() == "2019-01-01");
  CHECK(calendar.date(2191).iso() == "2024-12-31");
  CHECK(calendar.month_of(30) == 0);
  CHECK(calendar.month_of(31) == 1);
  CHECK(calendar.is_last_day_of_month(30));
  CHECK_FALSE(calendar.is_last_day_of_month(31));
  CHECK(calendar.date(calendar.num_days() - 1) - calendar.date(0) == 2191);

  const Calendar partial(Date::from_ymd(2021, 1, 15), Date::from_ymd(2021, 3, 2));
  CHECK(partial.num_months() == 3);
  CHECK(partial.is_last_day_of_month(partial.num_days() - 1));  // the run's last day closes its month
}
