// The statistics a calibration compares with reported figures.
#include <catch2/catch.hpp>

#include <vector>

#include "calibrate/targets.hpp"

using fraudsim::calibrate::Bound;
using fraudsim::calibrate::Target;
using fraudsim::calibrate::TargetKind;

namespace {

Target target(TargetKind kind, const char* from, const char* to) {
  Target t;
  t.id = "t";
  t.series = "registered_cases";
  t.kind = kind;
  t.from = from;
  t.to = to;
  t.tolerance = 1;
  return t;
}

// 2020: 10 a month; 2021: six months at 5, then six at 20.
std::vector<double> two_years() {
  std::vector<double> monthly(12, 10.0);
  monthly.insert(monthly.end(), 6, 5.0);
  monthly.insert(monthly.end(), 6, 20.0);
  return monthly;
}

}  // namespace

TEST_CASE("a run of decline counts consecutive months from the first and stops at the first month not below") {
  const auto monthly = two_years();
  using fraudsim::calibrate::statistic;
  CHECK(statistic(target(TargetKind::run_below_year_before, "2021-01", "2021-12"), monthly, "2020-01") == 6);
  CHECK(statistic(target(TargetKind::run_below_year_before, "2021-03", "2021-04"), monthly, "2020-01") == 2);
  CHECK(statistic(target(TargetKind::run_below_year_before, "2021-07", "2021-12"), monthly, "2020-01") == 0);
  // The count of months below, unlike the run, does not stop.
  CHECK(statistic(target(TargetKind::months_below_year_before, "2021-01", "2021-12"), monthly, "2020-01") == 6);
  CHECK_THROWS(statistic(target(TargetKind::run_below_year_before, "2020-06", "2021-01"), monthly, "2020-01"));
}

TEST_CASE("a bound adds no error on its side and the usual error on the other") {
  using fraudsim::calibrate::scaled_error;
  Target t = target(TargetKind::level, "2021-01", "2021-12");
  t.reported = 100;
  t.tolerance = 10;
  CHECK(scaled_error(t, 130) == Approx(3));
  t.bound = Bound::lower;
  CHECK(scaled_error(t, 130) == 0);
  CHECK(scaled_error(t, 80) == Approx(-2));
  t.bound = Bound::upper;
  CHECK(scaled_error(t, 80) == 0);
  CHECK(scaled_error(t, 130) == Approx(3));
}

TEST_CASE("a share is the part its items make of the series' level over the period") {
  using fraudsim::calibrate::statistic;
  const auto monthly = two_years();
  std::vector<double> part(monthly.size(), 0.0);
  for (std::size_t m = 12; m < part.size(); ++m) part[m] = monthly[m] / 4;  // a quarter of 2021
  part[23] = monthly[23];                                                 // and all of December 2021
  Target t = target(TargetKind::share, "2021-01", "2021-12");
  CHECK(statistic(t, monthly, "2020-01", part) == Approx((150.0 / 4 - 5 + 20) / 150.0));
  CHECK(statistic(target(TargetKind::share, "2020-01", "2020-12"), monthly, "2020-01", part) == 0);
  CHECK(fraudsim::calibrate::has_breakdown("age_band", "registered_cases"));
  CHECK_FALSE(fraudsim::calibrate::has_breakdown("age_band", "losses_yuan"));
  CHECK_FALSE(fraudsim::calibrate::has_breakdown("category", "workers_abroad"));
}
