#include "interventions/intervention.hpp"

#include <algorithm>
#include <numbers>

#include "engine/det_math.hpp"

namespace fraudsim::interventions {

using input::Spec;

void Intervention::describe(input::Fields& f) {
  describe_shared(f);
  describe_parameters(f);
}

void Intervention::describe_shared(input::Fields& f) {
  std::string type_name(type());
  Spec type_spec{"", "intervention type (docs/model.md lists what each acts on)"};
  type_spec.choices = intervention_types();
  f.text("type", type_name, type_spec);
  f.date("start", start, Spec{"date", "first day on which it has any effect"});
  Spec end_spec{"date", "last day on which it has any effect (~: to the end of the run)"};
  end_spec.optional = true;
  f.optional_date("end", end, end_spec);
  Spec ramp_spec{"days", "days after start over which its strength rises linearly to full", 0.0};
  ramp_spec.optional = true;
  f.integer("ramp_days", ramp_days, ramp_spec);
  Spec fade_from_spec{"date", "last day at full strength of an operation that fades (needs fade_half_life_days; ~: no fade)"};
  fade_from_spec.optional = true;
  f.optional_date("fade_from", fade_from, fade_from_spec);
  Spec fade_spec{"days", "after fade_from, its strength halves every this many days (0 or absent: no fade)", 0.0};
  fade_spec.optional = true;
  f.real("fade_half_life_days", fade_half_life_days, fade_spec);
  Spec enabled_spec{"", "false switches it off without removing it"};
  enabled_spec.optional = true;
  f.flag("enabled", enabled, enabled_spec);
}

double Intervention::strength(engine::Date date) const {
  if (!enabled || date < start || (end && date > *end)) return 0.0;
  const double days_in = static_cast<double>(date - start) + 1.0;
  const double ramped = std::min(1.0, days_in / (static_cast<double>(ramp_days) + 1.0));
  if (!fade_from || date <= *fade_from || fade_half_life_days <= 0) return ramped;
  const double days_fading = static_cast<double>(date - *fade_from);
  return ramped * engine::det::exp(-std::numbers::ln2 * days_fading / fade_half_life_days);
}

std::optional<Intervention::BindError> bind_jurisdiction(const std::vector<std::string>& jurisdictions,
                                                        const std::string& name, std::size_t& index) {
  const auto found = std::find(jurisdictions.begin(), jurisdictions.end(), name);
  if (found == jurisdictions.end()) {
    std::string known;
    for (const auto& each : jurisdictions) known += (known.empty() ? "" : ", ") + each;
    return Intervention::BindError{"jurisdiction", "expected one of the scenario's jurisdictions: " + known};
  }
  index = static_cast<std::size_t>(found - jurisdictions.begin());
  return std::nullopt;
}

void describe_per_hop(input::Fields& f, std::string_view key, std::string_view description,
                      std::array<double, model::num_hops>& values) {
  f.section(key, Spec{"", description}, [&](input::Fields& hops) {
    for (int h = 0; h < model::num_hops; ++h) hops.real(model::hop_names[h], values[h], input::probability(description));
  });
}

InterventionList::InterventionList(const InterventionList& other) {
  for (const auto& item : other.items_) items_.push_back(item->clone());
}

InterventionList& InterventionList::operator=(const InterventionList& other) {
  if (this != &other) {
    InterventionList copy(other);
    items_ = std::move(copy.items_);
  }
  return *this;
}

std::vector<std::string> InterventionList::names() const {
  std::vector<std::string> out;
  for (const auto& item : items_) out.push_back(item->name);
  return out;
}

void InterventionList::visit(const std::string& name, input::Fields& fields) {
  for (auto& item : items_)
    if (item->name == name) item->describe(fields);
}

void InterventionList::add(const std::string& name, input::Fields& fields) {
  // The type decides which fields follow, so read it first. describe() reads
  // it again; the reader returns the same value.
  std::string type_name;
  Spec type_spec{"", "intervention type"};
  type_spec.choices = intervention_types();
  fields.text("type", type_name, type_spec);
  // No type: the reader has noted the missing key and reports it; nothing
  // else of the entry can be read without knowing which type it is.
  auto item = make_intervention(type_name);
  if (!item) return;
  item->name = name;
  item->describe(fields);
  items_.push_back(std::move(item));
}

void InterventionList::describe_any(input::Fields& fields) const {
  make_intervention(intervention_types().front())->describe_shared(fields);
}

}  // namespace fraudsim::interventions
