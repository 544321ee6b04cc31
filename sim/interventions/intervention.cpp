#include "interventions/intervention.hpp"

#include <algorithm>

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
  Spec enabled_spec{"", "false switches it off without removing it"};
  enabled_spec.optional = true;
  f.flag("enabled", enabled, enabled_spec);
}

double Intervention::strength(engine::Date date) const {
  if (!enabled || date < start || (end && date > *end)) return 0.0;
  const double days_in = static_cast<double>(date - start) + 1.0;
  return std::min(1.0, days_in / (static_cast<double>(ramp_days) + 1.0));
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
