#pragma once
// The schema of every input file, declared once per struct.
//
// Every parameter struct of the model, and the sweep, calibration and
// targets files, have a `describe(Fields&)` function that names each of
// their fields with a unit, bounds and a description. The same description
// drives loading (the reader), writing the resolved scenario (the writer),
// `--set` overrides (typed by the field's kind) and the schema documentation
// (the schema printer): the schema cannot drift from the code, and every
// file's messages name file, line, key, value and what was expected alike.
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"

namespace fraudsim::input {

struct Spec {
  // Every member has a default initialiser so that designated initialisers
  // (Spec{.description = ..., .optional = true}) that leave members out stay
  // quiet under -Wextra (-Wmissing-field-initializers).
  std::string_view unit = {};         // "" when dimensionless
  std::string_view description = {};  // one line, for docs/scenario.md and --help
  double min = -std::numeric_limits<double>::infinity();  // inclusive
  double max = std::numeric_limits<double>::infinity();   // inclusive
  // An optional field may be absent from the file; the reader then leaves the
  // value the struct was initialised with. A nullable date field also accepts
  // YAML null (~), meaning "not set" (held as std::nullopt).
  bool optional = false;
  std::vector<std::string_view> choices = {};  // for text fields: the allowed values (empty: any)
  // Named sections whose names are not identifiers: scenario key paths (a
  // sweep's factors), or names the user writes freely (its variants).
  bool any_names = false;
  // A list of values as written in the file, for messages ("[low, high]"
  // makes "expected range: [low, high]").
  std::string_view form = {};
  // A list of sections: the key whose value names an entry in key paths
  // (targets.<id>.series rather than targets[3].series); names must differ.
  std::string_view name_key = {};
};

// A command-line override `--set KEY.PATH=VALUE`, or a value a sweep or a
// calibration sets: a scenario key path and a single YAML value as text,
// typed by the schema of the field it names.
struct Override {
  std::string path;
  std::string value;
};

inline Spec probability(std::string_view description) { return Spec{"probability", description, 0.0, 1.0}; }
inline Spec share(std::string_view description) { return Spec{"share", description, 0.0, 1.0}; }
inline Spec nonnegative(std::string_view unit, std::string_view description) {
  return Spec{unit, description, 0.0};
}
inline Spec positive_int(std::string_view unit, std::string_view description) {
  return Spec{unit, description, 1.0};
}
inline Spec optional(Spec spec) {
  spec.optional = true;
  return spec;
}

class Fields;

// A mapping whose keys the user chooses (interventions, jurisdictions, fraud
// categories, ...). The reader calls add() for each entry in file order; the
// writer and the schema printer call names() and visit().
class NamedSections {
 public:
  virtual ~NamedSections() = default;
  virtual std::vector<std::string> names() const = 0;
  // Describe the fields of the existing entry `name`.
  virtual void visit(const std::string& name, Fields& fields) = 0;
  // Create a new entry `name` and describe its fields (the implementation may
  // read a discriminating field such as `type` first, then the rest).
  virtual void add(const std::string& name, Fields& fields) = 0;
  // Describe the fields every entry has, whatever the file holds (the schema
  // printer): an entry type chosen by a discriminating key lists its own
  // fields elsewhere.
  virtual void describe_any(Fields& fields) const = 0;
};

// Convenience: NamedSections over a std::vector<T> where T has `std::string name`
// and `void describe(Fields&)`.
template <class T>
class NamedVector final : public NamedSections {
 public:
  explicit NamedVector(std::vector<T>& items) : items_(items) {}
  std::vector<std::string> names() const override {
    std::vector<std::string> out;
    for (const T& item : items_) out.push_back(item.name);
    return out;
  }
  void visit(const std::string& name, Fields& fields) override {
    for (T& item : items_)
      if (item.name == name) item.describe(fields);
  }
  void add(const std::string& name, Fields& fields) override {
    T item{};
    item.name = name;
    item.describe(fields);
    items_.push_back(std::move(item));
  }
  void describe_any(Fields& fields) const override {
    T item{};
    item.describe(fields);
  }

 private:
  std::vector<T>& items_;
};

// A YAML list of mappings with fixed keys (the targets of a targets file).
// The reader calls add() for each entry in file order; the writer and the
// schema printer call size() and visit().
class SectionList {
 public:
  virtual ~SectionList() = default;
  virtual std::size_t size() const = 0;
  virtual void visit(std::size_t index, Fields& fields) = 0;
  virtual void add(Fields& fields) = 0;
};

// Convenience: SectionList over a std::vector<T> where T has `void describe(Fields&)`.
template <class T>
class ListOf final : public SectionList {
 public:
  explicit ListOf(std::vector<T>& items) : items_(items) {}
  std::size_t size() const override { return items_.size(); }
  void visit(std::size_t index, Fields& fields) override { items_[index].describe(fields); }
  void add(Fields& fields) override {
    T item{};
    item.describe(fields);
    items_.push_back(std::move(item));
  }

 private:
  std::vector<T>& items_;
};

class Fields {
 public:
  virtual ~Fields() = default;
  virtual void real(std::string_view key, double& value, const Spec& spec) = 0;
  virtual void integer(std::string_view key, std::int64_t& value, const Spec& spec) = 0;
  virtual void flag(std::string_view key, bool& value, const Spec& spec) = 0;
  virtual void date(std::string_view key, engine::Date& value, const Spec& spec) = 0;
  virtual void optional_date(std::string_view key, std::optional<engine::Date>& value, const Spec& spec) = 0;
  virtual void text(std::string_view key, std::string& value, const Spec& spec) = 0;
  // A nested mapping with fixed keys.
  virtual void section(std::string_view key, const Spec& spec, const std::function<void(Fields&)>& body) = 0;
  // A nested mapping whose keys the user names; `spec.min` is the minimum number of entries.
  virtual void named_sections(std::string_view key, const Spec& spec, NamedSections& entries) = 0;
  // A list of mappings; `spec.min` is the minimum number of entries.
  virtual void section_list(std::string_view key, const Spec& spec, SectionList& entries) = 0;
  // A list of single values, each as override text (a quoted value stays
  // quoted, so that "1" reads back as text); `spec.min` and `spec.max` bound
  // how many.
  virtual void values(std::string_view key, std::vector<std::string>& value, const Spec& spec) = 0;
  // Every key of this mapping is a scenario key path with a single value (a
  // sweep's `set:`, one of its variants): read as overrides, typed later by
  // the scenario's own schema. It takes the whole mapping.
  virtual void key_paths(std::vector<Override>& value, const Spec& spec) = 0;
};

}  // namespace fraudsim::input
