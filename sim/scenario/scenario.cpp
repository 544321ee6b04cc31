#include "scenario/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <memory>
#include <sstream>
#include <tuple>
#include <utility>

#include "input/numbers.hpp"

namespace fraudsim::scenario {

using input::InputError;
using input::Spec;
using model::AgeBand;
using model::FraudCategory;
using model::Jurisdiction;
using model::Region;
using model::SellerNetworks;
using model::channel_names;
using model::num_channels;

void Scenario::describe(input::Fields& f) {
  Parameters::describe(f);
  f.named_sections("interventions", Spec{"", "dated measures, keyed by a name you choose", 0.0}, interventions);
}

model::LeverSetter Scenario::lever_setter() const {
  auto items = std::make_shared<const interventions::InterventionList>(interventions);
  return [items](engine::Date date, model::Levers& levers) {
    for (const auto& intervention : items->items()) {
      const double strength = intervention->strength(date);
      if (strength > 0.0) intervention->apply_on(levers, date, strength);
    }
  };
}

namespace {

// Shares that must add up to one, with a little room for rounding in the file.
void check_shares_sum_to_one(const input::Locations& where, const std::string& what,
                             const std::vector<std::pair<std::string, double>>& shares, const std::string& field) {
  double total = 0;
  for (const auto& [name, value] : shares) total += value;
  if (std::fabs(total - 1.0) > 1e-6) {
    const std::string path = what + "." + shares.front().first + (field.empty() ? "" : "." + field);
    const auto found = where.find(path);
    const input::Origin origin = found == where.end() ? input::Origin{} : found->second.origin;
    std::ostringstream sum;
    sum << total;
    throw InputError(origin, what + ".*" + (field.empty() ? "" : "." + field), "",
                     "these shares add up to " + sum.str() + "; they must add up to 1");
  }
}

// A fade needs both its date and its half-life, and the date inside the
// intervention's own window.
template <typename At>
void check_fade(const interventions::Intervention& item, const std::string& path, const At& at) {
  const bool has_half_life = item.fade_half_life_days > 0;
  if (item.fade_from && !has_half_life) {
    const auto from = at(path + ".fade_from");
    throw InputError(from.origin, path + ".fade_from", from.text,
                     "expected together with fade_half_life_days above 0 (or fade_from: ~ for no fade)");
  }
  if (!item.fade_from && has_half_life) {
    const auto half_life = at(path + ".fade_half_life_days");
    throw InputError(half_life.origin, path + ".fade_half_life_days", half_life.text,
                     "expected together with fade_from, the last day at full strength");
  }
  if (item.fade_from && (*item.fade_from < item.start || (item.end && *item.fade_from > *item.end))) {
    const auto from = at(path + ".fade_from");
    throw InputError(from.origin, path + ".fade_from", from.text,
                     item.end ? "expected a date from its start " + item.start.iso() + " to its end " + item.end->iso()
                              : "expected a date on or after its start " + item.start.iso());
  }
}

// Each origin names markets the scenario has.
template <class At>
void check_origin_markets(const Scenario& s, const At& at) {
  for (const model::Origin& origin : s.origins)
    for (std::size_t i = 0; i < origin.markets.size(); ++i) {
      const std::string& name = origin.markets[i];
      if (std::any_of(s.markets.begin(), s.markets.end(), [&](const model::Market& m) { return m.name == name; }))
        continue;
      std::string known;
      for (const model::Market& m : s.markets) known += (known.empty() ? "" : ", ") + m.name;
      const std::string path = "origins." + origin.name + ".markets[" + std::to_string(i) + "]";
      throw InputError(at(path).origin, path, name,
                       "expected the name of a market under markets (" + (known.empty() ? "none given" : known) + ")");
    }
}

// The workers of every origin fit in the compounds at the start.
template <class At>
void check_room_at_start(const Scenario& s, const At& at) {
  double capacity = 0, workforce = 0;
  for (const Jurisdiction& j : s.jurisdictions) {
    capacity += static_cast<double>(j.compounds) * j.capacity_per_compound;
    workforce += j.initial_workforce;
  }
  for (const model::Origin& origin : s.origins) {
    workforce += origin.initial_workforce;
    if (workforce <= capacity) continue;
    const std::string path = "origins." + origin.name + ".initial_workforce";
    const auto where_workforce = at(path);
    std::ostringstream places;
    places << std::fixed << std::setprecision(0) << capacity;
    throw InputError(where_workforce.origin, path, where_workforce.text,
                     "expected the workers of every origin at the start, with the jurisdictions' initial_workforce, "
                     "to fit in the compounds' " + places.str() + " places (compounds x capacity_per_compound)");
  }
}

template <class At>
void validate_origins_and_markets(const Scenario& s, const At& at) {
  // Origins and markets are kept in 8 bits of a draw's key.
  for (const auto& [key, count] : {std::pair<std::string, std::size_t>{"origins", s.origins.size()}, {"markets", s.markets.size()}})
    if (count > 255) throw InputError(at(key).origin, key, std::to_string(count) + " entries", "expected at most 255");
  check_origin_markets(s, at);
  check_room_at_start(s, at);
  for (const model::Market& m : s.markets)
    if (m.defence_rise_date && m.defence_share_after_rise < m.defence_share) {
      const std::string path = "markets." + m.name + ".defence_share_after_rise";
      const auto after = at(path);
      throw InputError(after.origin, path, after.text,
                       "expected at least defence_share (" + input::shortest(m.defence_share) + "): a defence_rise_date is a rise");
    }
}

// `file` names the scenario in messages about a key that has no line of its
// own (a whole section, a value --set did not give).
// Card gangs recruit the sellers: a gang has a size, and each seller's
// number of cards is drawn between a minimum and a maximum.
template <class At>
void validate_seller_networks(const Scenario& s, const At& at) {
  const SellerNetworks& n = s.cards.seller_networks;
  if (!n.enabled) return;
  for (const auto& [kind, low, high] : {std::tuple{"bank", n.bank_cards_per_seller_min, n.bank_cards_per_seller_max},
                                        std::tuple{"sim", n.sim_cards_per_seller_min, n.sim_cards_per_seller_max}})
    if (low > high) {
      const std::string key = std::string("cards.seller_networks.") + kind + "_cards_per_seller_min";
      const auto where = at(key);
      throw InputError(where.origin, key, where.text,
                       std::string("expected at most cards.seller_networks.") + kind + "_cards_per_seller_max");
    }
  if (n.bank_cards_per_seller_max + n.sim_cards_per_seller_max < 1) {
    const std::string key = "cards.seller_networks.bank_cards_per_seller_max";
    const auto where = at(key);
    throw InputError(where.origin, key, where.text, "expected a seller to supply at least one card in all");
  }
}

void validate(Scenario& s, const input::Locations& where, const std::string& file) {
  auto at = [&](const std::string& path) {
    const auto found = where.find(path);
    return found == where.end() ? input::Located{input::Origin{file, 0, 0}, ""} : found->second;
  };
  if (s.end_date < s.start_date) {
    const auto end = at("end_date");
    throw InputError(end.origin, "end_date", end.text, "expected a date on or after start_date " + s.start_date.iso());
  }
  // Residents keep the day of their last awareness change in 16 bits.
  if (s.end_date - s.start_date >= 65536) {
    const auto end = at("end_date");
    throw InputError(end.origin, "end_date", end.text,
                     "expected at most 65,536 days (about 179 years) from start_date " + s.start_date.iso());
  }
  // num_residents() in double: a population of 1e300 must not overflow the integer.
  const double residents = std::round(s.population / static_cast<double>(s.scale));
  if (residents < 1) {
    const auto scale = at("scale");
    throw InputError(scale.origin, "scale", scale.text, "expected at most the population (at least one resident agent)");
  }
  if (residents > 4e9) {
    const auto scale = at("scale");
    throw InputError(scale.origin, "scale", scale.text, "expected a scale giving at most 4e9 resident agents");
  }
  // Agents hold these indices in small integers (docs/model.md).
  auto at_most = [&](const std::string& key, std::size_t count, std::size_t limit) {
    if (count > limit) {
      const auto section = at(key);
      throw InputError(section.origin, key, std::to_string(count) + " entries",
                       "expected at most " + std::to_string(limit));
    }
  };
  at_most("regions", s.regions.size(), 255);
  at_most("age_bands", s.age_bands.size(), 255);
  at_most("fraud_categories", s.fraud_categories.size(), 255);
  at_most("jurisdictions", s.jurisdictions.size(), 255);
  // Summed in double: each count may be as large as 2^63 - 1 here.
  double compounds = 0, groups = 0;
  for (const Jurisdiction& j : s.jurisdictions) {
    compounds += static_cast<double>(j.compounds);
    groups += static_cast<double>(j.groups);
    const std::string path = "jurisdictions." + j.name;
    if (j.groups > j.compounds || (j.compounds > 0 && j.groups < 1)) {
      const auto where_groups = at(path + ".groups");
      throw InputError(where_groups.origin, path + ".groups", where_groups.text,
                       "expected between 1 and the number of compounds (" + std::to_string(j.compounds) + ")");
    }
    if (j.max_compounds < j.compounds) {
      const auto room = at(path + ".max_compounds");
      throw InputError(room.origin, path + ".max_compounds", room.text,
                       "expected at least its compounds at the start (" + std::to_string(j.compounds) + ")");
    }
    if (j.available_from) {
      const auto from = at(path + ".available_from");
      if (*j.available_from < s.start_date || *j.available_from > s.end_date)
        throw InputError(from.origin, path + ".available_from", from.text,
                         "expected a date within the simulated period " + s.start_date.iso() + " to " + s.end_date.iso());
      if (*j.available_from > s.start_date && j.compounds > 0)
        throw InputError(from.origin, path + ".available_from", from.text,
                         "expected start_date " + s.start_date.iso() + " or no date: it has " +
                             std::to_string(j.compounds) + " compounds at the start");
    }
    if (j.initial_workforce > static_cast<double>(j.compounds) * j.capacity_per_compound) {
      const auto workforce = at(path + ".initial_workforce");
      throw InputError(workforce.origin, path + ".initial_workforce", workforce.text,
                       "expected at most the capacity of its compounds (compounds x capacity_per_compound)");
    }
  }
  double initial_workforce = 0;
  for (const Jurisdiction& j : s.jurisdictions) initial_workforce += j.initial_workforce;
  if (initial_workforce > s.population) {
    const auto population = at("population");
    throw InputError(population.origin, "population", population.text,
                     "expected at least the initial workforce of all jurisdictions together");
  }
  auto at_most_in_all = [&](const std::string& key, double total, double limit) {
    if (total > limit) {
      const auto first = at("jurisdictions." + s.jurisdictions.front().name + "." + key);
      std::ostringstream sum;
      sum << std::fixed << std::setprecision(0) << total;
      throw InputError(first.origin, "jurisdictions.*." + key, sum.str(),
                       "expected at most " + std::to_string(static_cast<int>(limit)) + " in all jurisdictions together");
    }
  };
  at_most_in_all("compounds", compounds, 65535);
  at_most_in_all("groups", groups, 65535);

  std::vector<std::pair<std::string, double>> shares;
  for (const auto& r : s.regions) shares.emplace_back(r.name, r.population_share);
  check_shares_sum_to_one(where, "regions", shares, "population_share");
  shares.clear();
  for (const auto& a : s.age_bands) shares.emplace_back(a.name, a.population_share);
  check_shares_sum_to_one(where, "age_bands", shares, "population_share");
  shares.clear();
  for (const auto& c : s.fraud_categories) shares.emplace_back(c.name, c.effort_share);
  check_shares_sum_to_one(where, "fraud_categories", shares, "effort_share");
  shares.clear();
  for (int c = 0; c < num_channels; ++c) shares.emplace_back(channel_names[c], s.channels.effort_share[c]);
  check_shares_sum_to_one(where, "channels", shares, "");

  validate_seller_networks(s, at);
  if (s.justice.sentence_min_months > s.justice.sentence_max_months) {
    const auto low = at("justice.sentence_min_months");
    throw InputError(low.origin, "justice.sentence_min_months", low.text, "expected at most justice.sentence_max_months");
  }
  if (std::none_of(s.fraud_categories.begin(), s.fraud_categories.end(),
                   [&](const FraudCategory& c) { return !c.introduced || *c.introduced <= s.start_date; })) {
    const auto first = at("fraud_categories." + s.fraud_categories.front().name + ".introduced");
    throw InputError(first.origin, "fraud_categories.*.introduced", first.text,
                     "expected at least one fraud category in use on the start date");
  }

  // A con goes on after each payment with 1 - 1 / payments_expected and each
  // payment is payment_escalation times the one before: the expected loss of
  // a con is a geometric sum, finite only while their product stays below 1.
  for (const FraudCategory& c : s.fraud_categories) {
    const double growth = c.payment_escalation * (1.0 - 1.0 / c.payments_expected);
    if (growth >= 1.0) {
      const std::string path = "fraud_categories." + c.name + ".payment_escalation";
      const auto escalation = at(path);
      std::ostringstream limit;
      limit << std::setprecision(4) << 1.0 / (1.0 - 1.0 / c.payments_expected);
      throw InputError(escalation.origin, path, escalation.text,
                       "expected below " + limit.str() +
                           " (1 / (1 - 1 / payments_expected)): at this escalation the expected loss of a con is "
                           "infinite");
    }
  }
  validate_origins_and_markets(s, at);

  std::vector<std::string> jurisdiction_names;
  for (const Jurisdiction& j : s.jurisdictions) jurisdiction_names.push_back(j.name);
  for (const auto& item : s.interventions.items()) {
    const std::string path = "interventions." + item->name;
    if (const auto error = item->bind(jurisdiction_names)) {
      const auto where_key = at(path + "." + error->key);
      throw InputError(where_key.origin, path + "." + error->key, where_key.text, error->problem);
    }
    if (item->end && *item->end < item->start) {
      const auto end = at(path + ".end");
      throw InputError(end.origin, path + ".end", end.text, "expected a date on or after its start " + item->start.iso());
    }
    check_fade(*item, path, at);
    if (item->start > s.end_date || (item->end && *item->end < s.start_date)) {
      const auto start = at(path + ".start");
      throw InputError(start.origin, path + ".start", start.text,
                       "the intervention lies entirely outside the simulated period " + s.start_date.iso() + " to " +
                           s.end_date.iso());
    }
  }
}

}  // namespace

Scenario load_scenario_tree(const input::YamlNode& root, const std::vector<input::Override>& overrides) {
  Scenario s;
  const input::Locations where = input::read_fields(root, overrides, [&](input::Fields& f) { s.describe(f); });
  validate(s, where, root.origin.file);
  return s;
}

Scenario load_scenario(const std::string& path, const std::vector<input::Override>& overrides) {
  return load_scenario_tree(input::parse_yaml_file(path), overrides);
}

Scenario load_scenario_text(const std::string& text, const std::string& label,
                            const std::vector<input::Override>& overrides) {
  return load_scenario_tree(input::parse_yaml_text(text, label), overrides);
}

std::string resolved_yaml(const Scenario& scenario) {
  Scenario copy = scenario;  // describe() takes non-const references; the writer only reads them
  return input::write_yaml([&](input::Fields& f) { copy.describe(f); });
}

}  // namespace fraudsim::scenario
