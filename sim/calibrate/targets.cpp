#include "calibrate/targets.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

#include "input/numbers.hpp"
#include "input/yaml_fields.hpp"
#include "model/series.hpp"

namespace fraudsim::calibrate {

using input::Fields;
using input::InputError;
using input::Spec;

namespace {

int month_number(const std::string& text) {  // months since year 0; -1 if not YYYY-MM
  int year = 0, month = 0;
  if (text.size() != 7 || text[4] != '-') return -1;
  if (std::from_chars(text.data(), text.data() + 4, year).ec != std::errc{} ||
      std::from_chars(text.data() + 5, text.data() + 7, month).ec != std::errc{} || month < 1 || month > 12)
    return -1;
  return year * 12 + month - 1;
}

std::string month_text(int number) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", number / 12, number % 12 + 1);
  return text;
}

// A target as the file writes it; load_targets checks it and makes a Target.
struct TargetEntry {
  struct Span {
    std::string from, to;
    void describe(Fields& f) {
      f.text("from", from, Spec{.description = "first month, YYYY-MM"});
      f.text("to", to, Spec{.description = "last month, YYYY-MM (inclusive)"});
    }
  };
  std::string id, series, kind, by;
  std::vector<std::string> items;
  Span period, compared_with;
  double reported = 0;
  std::string tolerance, source, note, bound;

  void describe(Fields& f) {
    f.text("id", id, Spec{.description = "names the target; unique in the file"});
    f.text("series", series, Spec{.description = "a monthly output series"});
    f.text("kind", kind,
           Spec{.description = "the statistic of the series",
                .choices = {kind_name(TargetKind::level), kind_name(TargetKind::year_on_year_change),
                            kind_name(TargetKind::months_below_year_before),
                            kind_name(TargetKind::run_below_year_before), kind_name(TargetKind::share)}});
    f.text("by", by,
           input::optional(Spec{.description = "share: the breakdown its items are rows of",
                                .choices = {"category", "age_band"}}));
    f.values("items", items,
             input::optional(Spec{.description = "share: the fraud categories or age bands (scenario names) whose "
                                                 "part of the series is the statistic"}));
    f.section("period", Spec{.description = "the months the statistic covers"},
              [&](Fields& g) { period.describe(g); });
    f.section("compared_with",
              input::optional(Spec{.description = "year_on_year_change: the earlier months (default: a year before)"}),
              [&](Fields& g) { compared_with.describe(g); });
    f.real("reported", reported, Spec{.description = "the reported figure"});
    f.text("tolerance", tolerance,
           input::optional(Spec{.description = "scale of the error: a number in the target's units, or N% of reported"}));
    f.text("bound", bound,
           input::optional(Spec{.description = "the figure is a bound, not a point: lower (the true value is at least "
                                               "the figure) or upper (at most)",
                                .choices = {"lower", "upper"}}));
    f.text("source", source, input::optional(Spec{.description = "where the figure was reported"}));
    f.text("note", note, input::optional(Spec{.description = "free text"}));
  }
};

// What load_targets reads, and where it was written.
class TargetsFile {
 public:
  explicit TargetsFile(const std::string& path) : path_(path) {
    where_ = input::read_fields(input::parse_yaml_file(path), {}, [&](Fields& f) {
      input::ListOf<TargetEntry> list(entries);
      f.section_list("targets", Spec{.description = "the reported figures", .min = 1, .name_key = "id"}, list);
    });
  }

  std::vector<TargetEntry> entries;

  input::Located at(const std::string& key) const {
    const auto found = where_.find(key);
    return found == where_.end() ? input::Located{{path_, 0, 0}, ""} : found->second;
  }
  bool has(const std::string& key) const { return where_.count(key) > 0; }

  // The months from and to of the span at `key`, checked.
  std::pair<std::string, std::string> span(const std::string& key, const TargetEntry::Span& span) const {
    for (const char* end : {"from", "to"}) {
      const input::Located month = at(key + "." + end);
      if (month_number(month.text) < 0)
        throw InputError(month.origin, key + "." + end, month.text, "expected a month YYYY-MM");
    }
    if (month_number(span.to) < month_number(span.from))
      throw InputError(at(key + ".to").origin, key + ".to", span.to,
                       "expected a month on or after 'from' " + span.from);
    return {span.from, span.to};
  }

 private:
  std::string path_;
  input::Locations where_;
};

// A share names a breakdown and at least one of its rows; other kinds neither.
void check_share(const TargetsFile& file, const std::string& key, const TargetEntry& entry, Target& t) {
  if (t.kind != TargetKind::share) {
    for (const char* field : {"by", "items"})
      if (file.has(key + "." + field))
        throw InputError(file.at(key + "." + field).origin, key + "." + field, file.at(key + "." + field).text,
                         "only a target of kind share has this key");
    return;
  }
  if (entry.by.empty()) throw InputError(t.origin, key + ".by", "", "a share needs by: category or age_band");
  if (entry.items.empty())
    throw InputError(t.origin, key + ".items", "", "a share needs items: the categories or age bands it adds up");
  if (!has_breakdown(entry.by, t.series))
    throw InputError(file.at(key + ".series").origin, key + ".series", t.series,
                     "expected a series with a breakdown by " + entry.by +
                         (entry.by == "category" ? " (victimisations, losses_yuan, registered_cases)"
                                                 : " (victimisations, registered_cases)"));
  t.by = entry.by;
  t.items = entry.items;
}

}  // namespace

bool has_breakdown(const std::string& by, const std::string& series) {
  if (series == "victimisations" || series == "registered_cases") return by == "category" || by == "age_band";
  return series == "losses_yuan" && by == "category";
}

const char* kind_name(TargetKind kind) {
  switch (kind) {
    case TargetKind::level: return "level";
    case TargetKind::year_on_year_change: return "year_on_year_change";
    case TargetKind::months_below_year_before: return "months_below_year_before";
    case TargetKind::run_below_year_before: return "run_below_year_before";
    case TargetKind::share: return "share";
  }
  return "";
}

std::vector<Target> load_targets(const std::string& path) {
  const TargetsFile file(path);
  std::vector<std::string> series_names;
  for (const auto& info : model::series_info) series_names.emplace_back(info.name);
  std::vector<Target> targets;
  for (const TargetEntry& entry : file.entries) {
    const std::string key = "targets." + entry.id;
    Target t;
    t.id = entry.id;
    t.origin = file.at(key).origin;
    t.series = entry.series;
    if (std::find(series_names.begin(), series_names.end(), t.series) == series_names.end()) {
      const std::string guess = input::closest_match(t.series, series_names);
      throw InputError(file.at(key + ".series").origin, key + ".series", t.series,
                       "expected a monthly output series" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
    }
    for (const TargetKind kind :
         {TargetKind::level, TargetKind::year_on_year_change, TargetKind::months_below_year_before,
          TargetKind::run_below_year_before, TargetKind::share})
      if (entry.kind == kind_name(kind)) t.kind = kind;
    check_share(file, key, entry, t);
    std::tie(t.from, t.to) = file.span(key + ".period", entry.period);
    if (file.has(key + ".compared_with")) {
      std::tie(t.compared_with_from, t.compared_with_to) = file.span(key + ".compared_with", entry.compared_with);
    } else {
      t.compared_with_from = month_text(month_number(t.from) - 12);
      t.compared_with_to = month_text(month_number(t.to) - 12);
    }
    t.reported = entry.reported;
    const input::Located tolerance = file.at(key + ".tolerance");
    if (file.has(key + ".tolerance")) {
      const bool percent = !entry.tolerance.empty() && entry.tolerance.back() == '%';
      const std::optional<double> value =
          input::parse_number(std::string_view(entry.tolerance).substr(0, entry.tolerance.size() - (percent ? 1 : 0)));
      if (!value)
        throw InputError(tolerance.origin, key + ".tolerance", entry.tolerance,
                         "expected a number, or a percentage of reported like 25%");
      t.tolerance = percent ? std::fabs(t.reported) * *value / 100.0 : *value;
    } else {
      t.tolerance = t.kind == TargetKind::level ? 0.1 * std::fabs(t.reported) : 1.0;
      if (!(t.tolerance > 0))
        throw InputError(t.origin, key + ".tolerance", "",
                         "a level target reported as 0 needs a tolerance (the default, 10% of reported, would be 0)");
    }
    if (!(t.tolerance > 0))
      throw InputError(tolerance.origin, key + ".tolerance", entry.tolerance, "expected a positive tolerance");
    t.bound = entry.bound == "lower" ? Bound::lower : entry.bound == "upper" ? Bound::upper : Bound::none;
    t.source = entry.source;
    targets.push_back(std::move(t));
  }
  return targets;
}

double statistic(const Target& target, const std::vector<double>& monthly, const std::string& first_month,
                 const std::vector<double>& part) {
  const int first = month_number(first_month);
  auto index = [&](const std::string& month) {
    const int k = month_number(month) - first;
    if (k < 0 || k >= static_cast<int>(monthly.size()))
      throw InputError(target.origin, "targets." + target.id, month,
                       "the month lies outside the simulated period " + first_month + " to " +
                           month_text(first + static_cast<int>(monthly.size()) - 1) +
                           (target.kind == TargetKind::months_below_year_before || target.kind == TargetKind::run_below_year_before
                            ? " (this kind also needs the year before its period)"
                            : ""));
    return static_cast<std::size_t>(k);
  };
  auto sum = [&](const std::string& from, const std::string& to, const std::vector<double>& values) {
    double total = 0;
    for (std::size_t k = index(from); k <= index(to); ++k) total += k < values.size() ? values[k] : 0.0;
    return total;
  };
  auto below_year_before = [&](std::size_t k) {
    return monthly[k] < monthly[index(month_text(first + static_cast<int>(k) - 12))];
  };
  switch (target.kind) {
    case TargetKind::level: return sum(target.from, target.to, monthly);
    case TargetKind::year_on_year_change: {
      const double before = sum(target.compared_with_from, target.compared_with_to, monthly);
      return before > 0 ? sum(target.from, target.to, monthly) / before - 1.0 : 0.0;
    }
    case TargetKind::share: {
      const double whole = sum(target.from, target.to, monthly);
      return whole > 0 ? sum(target.from, target.to, part) / whole : 0.0;
    }
    case TargetKind::months_below_year_before: {
      double below = 0;
      for (std::size_t k = index(target.from); k <= index(target.to); ++k) below += below_year_before(k) ? 1.0 : 0.0;
      return below;
    }
    case TargetKind::run_below_year_before: {
      // Consecutive months from the first: the period should reach beyond
      // the reported run, so that a longer run scores more than the figure.
      double run = 0;
      for (std::size_t k = index(target.from); k <= index(target.to) && below_year_before(k); ++k) ++run;
      return run;
    }
  }
  return 0;
}

double scaled_error(const Target& target, double statistic) {
  const double error = (statistic - target.reported) / target.tolerance;
  if ((target.bound == Bound::lower && error > 0) || (target.bound == Bound::upper && error < 0)) return 0;
  return error;
}

bool ends_by(const Target& target, const std::string& month) { return month_number(target.to) <= month_number(month); }

}  // namespace fraudsim::calibrate
