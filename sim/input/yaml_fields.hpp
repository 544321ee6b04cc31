#pragma once
// Reading, writing and documenting anything that describes itself with Fields.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "input/fields.hpp"
#include "input/input_error.hpp"
#include "input/yaml_tree.hpp"

namespace fraudsim::input {

using Describe = std::function<void(Fields&)>;

// Splits "KEY.PATH=VALUE"; throws InputError (origin "--set") if there is no '='
// or the path is empty.
Override parse_override(const std::string& argument);

// Where each field that was read came from, by key path ("a.b.c"), with the
// value as written: lets later cross-field checks (an end before its start)
// point at the right line.
struct Located {
  Origin origin;
  std::string text;
};
using Locations = std::map<std::string, Located>;

// Reads the mapping `root` into whatever `describe` declares, with `overrides`
// replacing the values they name. Throws InputError, naming file, line,
// column, key path, value and what was expected, for: an unknown key (with a
// "did you mean" suggestion), a missing required key, a value of the wrong
// type, a number outside the field's bounds, a date that does not parse, a
// text value not among its choices, a mapping where a scalar was expected (and
// the reverse), too few named entries, and an override whose path the schema
// does not know (it never adds keys) or whose value does not fit the field.
Locations read_fields(const YamlNode& root, const std::vector<Override>& overrides, const Describe& describe);

// The resolved values as YAML, every field written out, in schema order, with
// the unit as a trailing comment. Reading the result back gives the same values.
std::string write_yaml(const Describe& describe);

// Every leaf key path of `describe`, with its kind: what an override may
// name (the entries of named sections as they stand).
enum class FieldKind { real, integer, flag, date, text };
std::map<std::string, FieldKind> leaf_kinds(const Describe& describe);

// A Markdown table of every key path: kind, unit, bounds, required or
// optional, description (named sections shown as `<name>`).
std::string schema_markdown(const Describe& describe);

}  // namespace fraudsim::input
