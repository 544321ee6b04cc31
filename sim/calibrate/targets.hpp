#pragma once
// Reported figures the model is compared with (scenarios/calibration/targets.yaml).
#include <string>
#include <vector>

#include "input/input_error.hpp"

namespace fraudsim::calibrate {

// share: the part of the series' level over the period that falls to some
// items of a breakdown (fraud categories or the victims' age bands).
enum class TargetKind { level, year_on_year_change, months_below_year_before, run_below_year_before, share };

// A bound counts only when the statistic lies on its wrong side: a lower
// bound is met by any value at or above it, an upper bound by any at or below.
enum class Bound { none, lower, upper };

struct Target {
  std::string id;
  std::string series;      // a monthly output series
  std::string by;                  // share: "category" or "age_band"
  std::vector<std::string> items;  // share: the categories or age bands whose part is the statistic
  TargetKind kind;
  std::string from, to;    // YYYY-MM, inclusive
  std::string compared_with_from, compared_with_to;  // year_on_year_change: the earlier period
  double reported = 0;
  double tolerance = 0;    // absolute, in the target's units: the scale of its error in the distance
  Bound bound = Bound::none;
  std::string source;
  input::Origin origin;  // where it is defined, for messages
};

// Reads a targets file: a list under `targets:` of {id, series, kind,
// period: {from, to}, reported, tolerance (a number, or "N%" of reported),
// source, compared_with (optional), bound (optional), note (optional)}. The format is shared
// with fraudsim_analysis.compare (docs/calibration.md). Throws InputError.
std::vector<Target> load_targets(const std::string& path);

// The target's statistic of a monthly series whose first month is `first_month` (YYYY-MM);
// for a share, `part` is the monthly sum of its items' breakdown rows.
// Throws InputError (at the target) if its months fall outside the series.
double statistic(const Target& target, const std::vector<double>& monthly, const std::string& first_month,
                 const std::vector<double>& part = {});

// The breakdowns a share target may name: `by` -> series with a breakdown.
bool has_breakdown(const std::string& by, const std::string& series);

// The target's period ends by `month` (YYYY-MM).
bool ends_by(const Target& target, const std::string& month);

const char* kind_name(TargetKind kind);

// The target's error in units of its tolerance: 0 for a bound that is met.
double scaled_error(const Target& target, double statistic);

}  // namespace fraudsim::calibrate
