#pragma once
// An intervention: a dated, switchable measure built by name from the registry.
//
// Lifecycle: built from the scenario (describe), bound to the names it
// refers to (bind), then on every simulated day of its window apply() sets
// the levers it acts on, probabilities scaled by its strength on that day
// (a raid's intensity and a notice's leniency are not scaled: the strength
// scales how often raids happen and how hard people are persuaded). It never writes an output series: outcomes follow from what the
// agents do under the levers.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"
#include "model/levers.hpp"
#include "input/fields.hpp"

namespace fraudsim::interventions {

class Intervention {
 public:
  virtual ~Intervention() = default;
  virtual std::unique_ptr<Intervention> clone() const = 0;
  virtual std::string_view type() const = 0;

  // The fields shared by every type, then the type's own.
  void describe(input::Fields& f);
  void describe_shared(input::Fields& f);
  // The type's own fields (the schema lists them under the type).
  void describe_own(input::Fields& f) { describe_parameters(f); }
  // 0 outside [start, end] or when disabled; inside, rises linearly over the
  // ramp from 1 / (ramp_days + 1) on the start day to 1, and after fade_from
  // halves every fade_half_life_days.
  double strength(engine::Date date) const;
  // Sets today's levers; called only on days with strength > 0.
  virtual void apply(model::Levers& levers, double strength) const = 0;
  // The same, for types whose effect also depends on the date within their window.
  virtual void apply_on(model::Levers& levers, engine::Date /*date*/, double strength) const { apply(levers, strength); }
  // Resolves names of the world it acts on (a jurisdiction) once the
  // scenario is read; returns the key and problem if a name is unknown.
  struct BindError {
    std::string key;
    std::string problem;
  };
  virtual std::optional<BindError> bind(const std::vector<std::string>& /*jurisdictions*/) { return std::nullopt; }

  std::string name;
  engine::Date start;
  std::optional<engine::Date> end;  // last day with any effect; none: to the end of the run
  std::int64_t ramp_days = 0;
  // An operation that is not known to end fades: after fade_from its strength
  // halves every fade_half_life_days (0: no fade).
  std::optional<engine::Date> fade_from;
  double fade_half_life_days = 0;
  bool enabled = true;

 protected:
  virtual void describe_parameters(input::Fields& f) = 0;
};

// The registry: type name -> a default-constructed intervention of that type.
std::vector<std::string_view> intervention_types();
std::unique_ptr<Intervention> make_intervention(std::string_view type);  // nullptr if unknown

// The scenario's interventions, keyed by the names the user gave them.
class InterventionList final : public input::NamedSections {
 public:
  InterventionList() = default;
  InterventionList(const InterventionList& other);
  InterventionList& operator=(const InterventionList& other);
  InterventionList(InterventionList&&) = default;
  InterventionList& operator=(InterventionList&&) = default;

  std::vector<std::string> names() const override;
  void visit(const std::string& name, input::Fields& fields) override;
  void add(const std::string& name, input::Fields& fields) override;
  // The fields every type shares; each type's own: Intervention::describe_parameters.
  void describe_any(input::Fields& fields) const override;

  const std::vector<std::unique_ptr<Intervention>>& items() const { return items_; }

 private:
  std::vector<std::unique_ptr<Intervention>> items_;
};

// Shared by the interventions that act on one jurisdiction: its index among
// the scenario's jurisdictions, or the error naming the key `jurisdiction`.
std::optional<Intervention::BindError> bind_jurisdiction(const std::vector<std::string>& jurisdictions,
                                                        const std::string& name, std::size_t& index);

// Shared by the interventions that act on every hop of the laundering chain.
void describe_per_hop(input::Fields& f, std::string_view key, std::string_view description,
                      std::array<double, model::num_hops>& values);

}  // namespace fraudsim::interventions
