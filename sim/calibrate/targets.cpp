#include "calibrate/targets.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include "model/series.hpp"
#include "input/yaml_tree.hpp"

namespace fraudsim::calibrate {

using input::InputError;
using input::YamlNode;

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

struct Entry {
  const YamlNode& node;
  std::string where;  // key path prefix for messages

  const YamlNode& require(const std::string& key) const {
    const YamlNode* value = node.find(key);
    if (!value) throw InputError(node.origin, where + "." + key, "", "missing required key '" + key + "'");
    return *value;
  }
  std::string text(const std::string& key) const {
    const YamlNode& value = require(key);
    if (value.kind != YamlNode::Kind::scalar) throw InputError(value.origin, where + "." + key, "", "expected a single value");
    return value.scalar;
  }
  double number(const std::string& key, const std::string& text_value, const YamlNode& at) const {
    double value = 0;
    const auto [end, ec] = std::from_chars(text_value.data(), text_value.data() + text_value.size(), value);
    if (ec != std::errc{} || end != text_value.data() + text_value.size() || !std::isfinite(value))
      throw InputError(at.origin, where + "." + key, text_value, "expected a number");
    return value;
  }
  std::pair<std::string, std::string> span(const std::string& key) const {
    const YamlNode& value = require(key);
    const YamlNode* from = value.find("from");
    const YamlNode* to = value.find("to");
    if (value.kind != YamlNode::Kind::mapping || !from || !to || value.mapping.size() != 2)
      throw InputError(value.origin, where + "." + key, "", "expected {from: YYYY-MM, to: YYYY-MM}");
    for (const YamlNode* month : {from, to})
      if (month_number(month->scalar) < 0)
        throw InputError(month->origin, where + "." + key, month->scalar, "expected a month YYYY-MM");
    if (month_number(to->scalar) < month_number(from->scalar))
      throw InputError(to->origin, where + "." + key + ".to", to->scalar, "expected a month on or after 'from' " + from->scalar);
    return {from->scalar, to->scalar};
  }
};

}  // namespace

const char* kind_name(TargetKind kind) {
  switch (kind) {
    case TargetKind::level: return "level";
    case TargetKind::year_on_year_change: return "year_on_year_change";
    case TargetKind::months_below_year_before: return "months_below_year_before";
  }
  return "";
}

std::vector<Target> load_targets(const std::string& path) {
  const YamlNode root = input::parse_yaml_file(path);
  const YamlNode* list = root.find("targets");
  if (root.kind != YamlNode::Kind::mapping || !list || list->kind != YamlNode::Kind::sequence)
    throw InputError(root.origin, "targets", "", "expected a list of targets under 'targets:'");
  const std::set<std::string> known = {"id", "series", "kind", "period", "reported", "tolerance", "source", "compared_with", "note"};
  std::vector<Target> targets;
  std::set<std::string> ids;
  for (std::size_t k = 0; k < list->sequence.size(); ++k) {
    const YamlNode& node = list->sequence[k];
    if (node.kind != YamlNode::Kind::mapping)
      throw InputError(node.origin, "targets[" + std::to_string(k) + "]", "", "expected a mapping");
    Entry entry{node, "targets[" + std::to_string(k) + "]"};
    Target t;
    t.origin = node.origin;
    t.id = entry.text("id");
    entry.where = "targets." + t.id;
    if (!ids.insert(t.id).second) throw InputError(node.origin, entry.where, t.id, "duplicate target id");
    for (const auto& [key, value] : node.mapping)
      if (!known.contains(key.scalar)) {
        const std::vector<std::string> candidates(known.begin(), known.end());
        const std::string guess = input::closest_match(key.scalar, candidates);
        throw InputError(key.origin, entry.where + "." + key.scalar, "", "unknown key" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
      }
    t.series = entry.text("series");
    bool series_known = false;
    std::vector<std::string> names;
    for (const auto& info : model::series_info) {
      names.emplace_back(info.name);
      series_known |= info.name == t.series;
    }
    if (!series_known) {
      const std::string guess = input::closest_match(t.series, names);
      throw InputError(entry.require("series").origin, entry.where + ".series", t.series,
                       "expected a monthly output series" + (guess.empty() ? "" : " (did you mean '" + guess + "'?)"));
    }
    const std::string kind = entry.text("kind");
    if (kind == "level") t.kind = TargetKind::level;
    else if (kind == "year_on_year_change") t.kind = TargetKind::year_on_year_change;
    else if (kind == "months_below_year_before") t.kind = TargetKind::months_below_year_before;
    else
      throw InputError(entry.require("kind").origin, entry.where + ".kind", kind,
                       "expected one of: level, year_on_year_change, months_below_year_before");
    std::tie(t.from, t.to) = entry.span("period");
    if (node.find("compared_with")) {
      std::tie(t.compared_with_from, t.compared_with_to) = entry.span("compared_with");
    } else {
      t.compared_with_from = month_text(month_number(t.from) - 12);
      t.compared_with_to = month_text(month_number(t.to) - 12);
    }
    t.reported = entry.number("reported", entry.text("reported"), entry.require("reported"));
    if (node.find("tolerance")) {
      std::string tolerance = entry.text("tolerance");
      const bool percent = !tolerance.empty() && tolerance.back() == '%';
      if (percent) tolerance.pop_back();
      t.tolerance = entry.number("tolerance", tolerance, entry.require("tolerance"));
      if (percent) t.tolerance = std::fabs(t.reported) * t.tolerance / 100.0;
    } else {
      t.tolerance = kind == "level" ? 0.1 * std::fabs(t.reported) : 1.0;
    }
    if (!(t.tolerance > 0))
      throw InputError(entry.require("tolerance").origin, entry.where + ".tolerance", entry.text("tolerance"), "expected a positive tolerance");
    if (node.find("source")) t.source = entry.text("source");
    targets.push_back(std::move(t));
  }
  if (targets.empty()) throw InputError(list->origin, "targets", "", "expected at least one target");
  return targets;
}

double statistic(const Target& target, const std::vector<double>& monthly, const std::string& first_month) {
  const int first = month_number(first_month);
  auto index = [&](const std::string& month) {
    const int k = month_number(month) - first;
    if (k < 0 || k >= static_cast<int>(monthly.size()))
      throw InputError(target.origin, "targets." + target.id, month,
                       "the month lies outside the simulated period " + first_month + " to " +
                           month_text(first + static_cast<int>(monthly.size()) - 1) +
                           (target.kind == TargetKind::months_below_year_before ? " (this kind also needs the year before its period)" : ""));
    return static_cast<std::size_t>(k);
  };
  auto sum = [&](const std::string& from, const std::string& to) {
    double total = 0;
    for (std::size_t k = index(from); k <= index(to); ++k) total += monthly[k];
    return total;
  };
  switch (target.kind) {
    case TargetKind::level: return sum(target.from, target.to);
    case TargetKind::year_on_year_change: {
      const double before = sum(target.compared_with_from, target.compared_with_to);
      return before > 0 ? sum(target.from, target.to) / before - 1.0 : 0.0;
    }
    case TargetKind::months_below_year_before: {
      double below = 0;
      for (std::size_t k = index(target.from); k <= index(target.to); ++k) {
        const std::size_t year_before = index(month_text(first + static_cast<int>(k) - 12));
        below += monthly[k] < monthly[year_before] ? 1.0 : 0.0;
      }
      return below;
    }
  }
  return 0;
}

bool ends_by(const Target& target, const std::string& month) { return month_number(target.to) <= month_number(month); }

}  // namespace fraudsim::calibrate
