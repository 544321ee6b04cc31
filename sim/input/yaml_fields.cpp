#include "input/yaml_fields.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include "input/numbers.hpp"

namespace fraudsim::input {

namespace {

const Origin kCommandLine{"--set", 0, 0};

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const std::string match = closest_match(word, candidates);
  return match.empty() ? "" : " (did you mean '" + match + "'?)";
}

// For an override path that is no key path and resembles none: the part of it
// that is known and what that part holds, e.g. "; interventions has no
// 'new_one' (it has: a, b); --set changes keys the scenario has, it adds none".
std::string unknown_path_hint(const std::string& path, const std::vector<std::string>& leaf_paths) {
  const auto under = [&](const std::string& prefix) {
    return std::any_of(leaf_paths.begin(), leaf_paths.end(), [&](const std::string& p) { return p.starts_with(prefix); });
  };
  std::string known;  // "a.b.": the longest run of leading components some key path starts with
  for (std::size_t dot = path.find('.'); dot != std::string::npos && under(path.substr(0, dot + 1));
       dot = path.find('.', dot + 1))
    known = path.substr(0, dot + 1);
  if (known.empty()) return "";
  const auto component = [&](const std::string& text) {
    return text.substr(known.size(), text.find('.', known.size()) - known.size());
  };
  std::vector<std::string> names;
  for (const std::string& p : leaf_paths)
    if (p.starts_with(known) && std::find(names.begin(), names.end(), component(p)) == names.end())
      names.push_back(component(p));
  return "; " + known.substr(0, known.size() - 1) + " has no '" + component(path) + "' (it has: " + list(names) +
         "); --set changes keys the scenario has, it adds none";
}

std::string entries_phrase(double count) { return shortest(count) + (count == 1 ? " entry" : " entries"); }

bool is_identifier(const std::string& name) {
  auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (name.empty() || !letter(name[0])) return false;
  for (char c : name)
    if (!letter(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

// ---- Value conversion -------------------------------------------------------

// A plain (unquoted) scalar as a finite number; quoted "1" is text by design,
// so a number that the user quoted is reported rather than guessed at.
std::optional<double> to_real(const YamlNode& node) {
  if (node.kind != YamlNode::Kind::scalar || node.quoted) return std::nullopt;
  return parse_number(node.scalar);
}

std::optional<std::int64_t> to_integer(const YamlNode& node) {
  if (node.kind != YamlNode::Kind::scalar || node.quoted) return std::nullopt;
  return parse_integer(node.scalar);
}

std::optional<bool> to_flag(const YamlNode& node) {
  if (node.kind != YamlNode::Kind::scalar || node.quoted) return std::nullopt;
  const std::string& s = node.scalar;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

std::optional<engine::Date> to_date(const YamlNode& node) {
  if (node.kind != YamlNode::Kind::scalar) return std::nullopt;
  return engine::Date::parse(node.scalar);
}

// ---- What a field accepts, in words ------------------------------------------

std::string bounds_phrase(const Spec& spec, bool integral) {
  const std::string noun = integral ? "integer" : "number";
  const bool low = std::isfinite(spec.min), high = std::isfinite(spec.max);
  if (low && high) return "a" + std::string(integral ? "n " : " ") + noun + " in [" + shortest(spec.min) + ", " + shortest(spec.max) + "]";
  if (low && spec.min == 0) return "a non-negative " + noun;
  if (low && spec.min == 1 && integral) return "a positive integer";
  if (low) return "a" + std::string(integral ? "n " : " ") + noun + " >= " + shortest(spec.min);
  if (high) return "a" + std::string(integral ? "n " : " ") + noun + " <= " + shortest(spec.max);
  return "a" + std::string(integral ? "n " : " ") + noun;
}

std::string number_phrase(const Spec& spec, bool integral) {
  if (spec.unit == "probability" && !integral) return "a probability in [0, 1]";
  std::string out = bounds_phrase(spec, integral);
  if (!spec.unit.empty()) out += " (" + std::string(spec.unit) + ")";
  return out;
}

std::vector<std::string> choice_list(const Spec& spec) { return {spec.choices.begin(), spec.choices.end()}; }

// The part of a message that says what was found instead, when the value
// text alone does not show it.
std::string found_instead(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::mapping: return ", found a mapping";
    case YamlNode::Kind::sequence: return ", found a list";
    case YamlNode::Kind::null: return ", found nothing";
    case YamlNode::Kind::scalar: return node.quoted ? ", found quoted text" : "";
  }
  return "";
}

// A single value as override text: plain text as written, quoted text
// quoted again so that it reads back as text ("1" stays a string), nothing as ~.
std::string override_text(const YamlNode& node) {
  if (node.kind == YamlNode::Kind::null) return "~";
  if (!node.quoted) return node.scalar;
  std::string quoted = "\"";
  for (const char c : node.scalar) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

bool is_single_value(const YamlNode& node) {
  return node.kind == YamlNode::Kind::scalar || node.kind == YamlNode::Kind::null;
}

std::string count_phrase(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

// How many values a list takes, in words: "a list of 2 values".
std::string list_phrase(const Spec& spec) {
  const auto low = static_cast<std::size_t>(std::max(spec.min, 0.0));
  if (spec.min == spec.max) return "a list of " + count_phrase(low, "value");
  if (low > 0) return "a list of at least " + count_phrase(low, "value");
  return "a list of values";
}

// ---- Reader -----------------------------------------------------------------

struct PendingOverride {
  std::string text;
  YamlNode value;
  bool used = false;
};

struct ReadState {
  std::map<std::string, PendingOverride> overrides;  // by key path
  std::vector<std::string> leaf_paths;               // every leaf the schema declared, for suggestions
  Locations locations;
};

// Reads one mapping. `mapping` is null when the mapping is absent (an optional
// section left out: every key is then optional, but overrides still apply)
// or empty ("key:" with nothing after it).
class Reader final : public Fields {
 public:
  Reader(ReadState& state, const YamlNode* mapping, std::string prefix, Origin origin, bool absent)
      : state_(state), mapping_(mapping), prefix_(std::move(prefix)), origin_(std::move(origin)), absent_(absent) {
    if (mapping_) consumed_.assign(mapping_->mapping.size(), false);
  }

  // Every key of the file that no field claimed is a typo or a stale key.
  // Unknown keys are reported before missing ones: a misspelt key is both,
  // and "did you mean" is the more useful message. Except when the one key
  // declared here is missing and no other resembles it: an entry without its
  // discriminating key (an intervention without its type) declares nothing
  // else, so its other keys are unknown only because that one is missing.
  void finish() const {
    if (first_missing_ && declared_.size() == 1) {
      bool misspelt = false;
      for (std::size_t i = 0; i < consumed_.size(); ++i)
        misspelt |= !consumed_[i] && !closest_match(mapping_->mapping[i].first.scalar, declared_).empty();
      if (!misspelt) throw *first_missing_;
    }
    for (std::size_t i = 0; i < consumed_.size(); ++i) {
      if (consumed_[i]) continue;
      const YamlNode& key = mapping_->mapping[i].first;
      throw InputError(key.origin, join(prefix_, key.scalar), "",
                       "unknown key; expected one of: " + list(declared_) + did_you_mean(key.scalar, declared_));
    }
    if (first_missing_) throw *first_missing_;
  }

  void real(std::string_view key, double& value, const Spec& spec) override {
    leaf(key, spec, number_phrase(spec, false), [&](const YamlNode& node) {
      const auto v = to_real(node);
      if (!v || *v < spec.min || *v > spec.max) return false;
      value = *v;
      return true;
    });
  }

  void integer(std::string_view key, std::int64_t& value, const Spec& spec) override {
    leaf(key, spec, number_phrase(spec, true), [&](const YamlNode& node) {
      const auto v = to_integer(node);
      if (!v || static_cast<double>(*v) < spec.min || static_cast<double>(*v) > spec.max) return false;
      value = *v;
      return true;
    });
  }

  void flag(std::string_view key, bool& value, const Spec& spec) override {
    leaf(key, spec, "true or false", [&](const YamlNode& node) {
      const auto v = to_flag(node);
      if (v) value = *v;
      return v.has_value();
    });
  }

  void date(std::string_view key, engine::Date& value, const Spec& spec) override {
    leaf(key, spec, "a real date as YYYY-MM-DD", [&](const YamlNode& node) {
      const auto v = to_date(node);
      if (v) value = *v;
      return v.has_value();
    });
  }

  void optional_date(std::string_view key, std::optional<engine::Date>& value, const Spec& spec) override {
    leaf(key, spec, "a real date as YYYY-MM-DD, or ~ for none", [&](const YamlNode& node) {
      if (node.is_null()) {
        value.reset();
        return true;
      }
      const auto v = to_date(node);
      if (v) value = *v;
      return v.has_value();
    });
  }

  void text(std::string_view key, std::string& value, const Spec& spec) override {
    const std::vector<std::string> choices = choice_list(spec);
    const std::string expected = choices.empty() ? "a text value" : "one of: " + list(choices);
    leaf(key, spec, expected, [&](const YamlNode& node) {
      if (node.kind != YamlNode::Kind::scalar) return false;
      if (!choices.empty() && std::find(choices.begin(), choices.end(), node.scalar) == choices.end()) return false;
      value = node.scalar;
      return true;
    });
  }

  void section(std::string_view key, const Spec& spec, const std::function<void(Fields&)>& body) override {
    const std::string path = join(prefix_, key);
    const Entry entry = claim_section(key, path);
    if (!entry.value) {
      if (missing_here(key, path, spec)) return;
      Reader child(state_, nullptr, path, origin_, true);
      body(child);
      return;
    }
    locate(path, entry.key->origin, "");
    Reader child(state_, mapping_or_empty(*entry.key, *entry.value, path), path, entry.key->origin, false);
    body(child);
    child.finish();
  }

  void named_sections(std::string_view key, const Spec& spec, NamedSections& entries) override {
    const std::string path = join(prefix_, key);
    const Entry entry = claim_section(key, path);
    if (!entry.value) {
      if (missing_here(key, path, spec)) return;
      // Left out: the entries the struct already holds stay, and overrides may adjust them.
      for (const std::string& name : entries.names()) {
        Reader child(state_, nullptr, join(path, name), origin_, true);
        entries.visit(name, child);
      }
      return;
    }
    const YamlNode* mapping = mapping_or_empty(*entry.key, *entry.value, path);
    const std::size_t count = mapping ? mapping->mapping.size() : 0;
    check_count(*entry.key, path, count, spec);
    locate(path, entry.key->origin, "");
    for (std::size_t i = 0; i < count; ++i) {
      const auto& [name_node, body] = mapping->mapping[i];
      if (spec.any_names ? name_node.scalar.empty() : !is_identifier(name_node.scalar))
        throw InputError(name_node.origin, path, name_node.scalar,
                         spec.any_names
                             ? "an entry needs a name"
                             : "an entry name must be an identifier (letters, digits and _, not starting with a digit)");
      const std::string entry_path = join(path, name_node.scalar);
      reject_whole_override(entry_path);
      locate(entry_path, name_node.origin, name_node.scalar);
      Reader child(state_, mapping_or_empty(name_node, body, entry_path), entry_path, name_node.origin, false);
      entries.add(name_node.scalar, child);
      child.finish();
    }
  }

  void section_list(std::string_view key, const Spec& spec, SectionList& entries) override {
    const std::string path = join(prefix_, key);
    const Entry entry = claim_section(key, path);
    if (!entry.value) {
      missing_here(key, path, spec);
      return;
    }
    const YamlNode& list = *entry.value;
    if (list.kind != YamlNode::Kind::sequence && !list.is_null())
      throw_wrong_shape(entry.key->origin, list, path, "a list of entries");
    check_count(*entry.key, path, list.sequence.size(), spec);
    locate(path, entry.key->origin, "");
    std::map<std::string, int> lines;  // line of each name seen so far
    for (std::size_t i = 0; i < list.sequence.size(); ++i) {
      const YamlNode& item = list.sequence[i];
      std::string entry_path = path + "[" + std::to_string(i) + "]";
      std::string name;
      const YamlNode* name_node = spec.name_key.empty() ? nullptr : item.find(std::string(spec.name_key));
      if (item.kind == YamlNode::Kind::mapping && name_node && name_node->kind == YamlNode::Kind::scalar) {
        name = name_node->scalar;
        entry_path = join(path, name);
        const auto [seen, inserted] = lines.emplace(name, item.origin.line);
        if (!inserted)
          throw InputError(item.origin, entry_path, name,
                           "duplicate " + std::string(spec.name_key) + " (first defined at line " +
                               std::to_string(seen->second) + ")");
      }
      if (item.kind != YamlNode::Kind::mapping) throw_wrong_shape(item.origin, item, entry_path, "a mapping of keys");
      locate(entry_path, item.origin, name);
      Reader child(state_, &item, entry_path, item.origin, false);
      entries.add(child);
      child.finish();
    }
  }

  void values(std::string_view key, std::vector<std::string>& value, const Spec& spec) override {
    const std::string path = join(prefix_, key);
    if (const auto override_it = state_.overrides.find(path); override_it != state_.overrides.end())
      throw InputError(kCommandLine, path, override_it->second.text, "cannot set a list with --set");
    const Entry entry = claim(key);
    if (!entry.value) {
      missing_here(key, path, spec);
      return;
    }
    const YamlNode& list = *entry.value;
    const std::string expected =
        spec.form.empty() ? list_phrase(spec) : std::string(key) + ": " + std::string(spec.form);
    if (list.kind != YamlNode::Kind::sequence) throw_wrong_shape(entry.key->origin, list, path, expected);
    const std::size_t count = list.sequence.size();
    if (static_cast<double>(count) < spec.min || static_cast<double>(count) > spec.max)
      throw InputError(entry.key->origin, path, "", "expected " + expected + ", found " + count_phrase(count, "value"));
    locate(path, entry.key->origin, "");
    value.clear();
    for (std::size_t i = 0; i < count; ++i) {
      const YamlNode& item = list.sequence[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (!is_single_value(item)) throw_wrong_shape(item.origin, item, item_path, "a single value");
      value.push_back(override_text(item));
      locate(item_path, item.kind == YamlNode::Kind::scalar ? item.origin : entry.key->origin, item.scalar);
    }
  }

  void key_paths(std::vector<Override>& value, const Spec&) override {
    if (!mapping_) return;
    value.clear();
    for (std::size_t i = 0; i < consumed_.size(); ++i) {
      consumed_[i] = true;
      const auto& [key, item] = mapping_->mapping[i];
      const std::string path = join(prefix_, key.scalar);
      if (!is_single_value(item)) throw_wrong_shape(key.origin, item, path, "a single value");
      value.push_back(Override{key.scalar, override_text(item)});
      locate(path, item.kind == YamlNode::Kind::scalar ? item.origin : key.origin, item.scalar);
    }
  }

 private:
  struct Entry {
    const YamlNode* key = nullptr;
    const YamlNode* value = nullptr;
  };

  // Finds `key` in the file's mapping and marks it as known.
  Entry claim(std::string_view key) {
    // Once: an intervention's type is read before its other fields, then again with them.
    if (std::find(declared_.begin(), declared_.end(), key) == declared_.end()) declared_.emplace_back(key);
    if (!mapping_) return {};
    for (std::size_t i = 0; i < consumed_.size(); ++i) {
      const auto& [k, v] = mapping_->mapping[i];
      if (k.kind == YamlNode::Kind::scalar && k.scalar == key) {
        consumed_[i] = true;
        return {&k, &v};
      }
    }
    return {};
  }

  // Where a section, an entry or a list was written, for checks after reading.
  void locate(const std::string& path, const Origin& origin, const std::string& text) {
    state_.locations[path] = Located{origin, text};
  }

  // Too few entries in named sections or a list of sections.
  static void check_count(const YamlNode& key, const std::string& path, std::size_t count, const Spec& spec) {
    if (static_cast<double>(count) < spec.min)
      throw InputError(key.origin, path, "",
                       "expected at least " + entries_phrase(spec.min) + ", found " + std::to_string(count));
  }

  // A value of the wrong shape, named at `where` (the line of its key for a
  // mapping's value, its own for an entry of a list) or, if a single value,
  // at that value.
  [[noreturn]] static void throw_wrong_shape(const Origin& where, const YamlNode& value, const std::string& path,
                                             const std::string& expected) {
    const bool scalar = value.kind == YamlNode::Kind::scalar;
    throw InputError(scalar ? value.origin : where, path, scalar ? value.scalar : "",
                     "expected " + expected + (scalar ? ", found a single value" : found_instead(value)));
  }

  // A key whose value is a mapping or a list: no override may replace it whole.
  Entry claim_section(std::string_view key, const std::string& path) {
    reject_whole_override(path);
    return claim(key);
  }

  // For a key the file leaves out: whether it was required here (and is
  // then remembered as missing).
  bool missing_here(std::string_view key, const std::string& path, const Spec& spec) {
    if (spec.optional || absent_) return false;
    missing(path, key);
    return true;
  }

  // Remembers the first missing required key, reported by finish().
  void missing(const std::string& path, std::string_view key) {
    if (!first_missing_)
      first_missing_ = InputError(origin_, path, "", "missing required key '" + std::string(key) + "'");
  }

  // The value of a section key as a mapping; nullptr for "key:" with nothing
  // after it, which reads as an empty mapping.
  static const YamlNode* mapping_or_empty(const YamlNode& key, const YamlNode& value, const std::string& path) {
    if (value.kind == YamlNode::Kind::mapping) return &value;
    if (value.is_null()) return nullptr;
    throw_wrong_shape(key.origin, value, path, "a mapping of keys");
  }

  void reject_whole_override(const std::string& path) const {
    const auto override_it = state_.overrides.find(path);
    if (override_it != state_.overrides.end())
      throw InputError(kCommandLine, path, override_it->second.text,
                       "cannot set a whole section; set one of its keys (" + path + ".<key>=...)");
  }

  // One leaf field: the override if there is one, else the file's value.
  // `accept` converts and stores the value, returning false when it does not fit.
  template <class Accept>
  void leaf(std::string_view key, const Spec& spec, const std::string& expected, Accept accept) {
    const std::string path = join(prefix_, key);
    state_.leaf_paths.push_back(path);
    const Entry entry = claim(key);
    const YamlNode* node = entry.value;
    Origin origin;
    if (auto override_it = state_.overrides.find(path); override_it != state_.overrides.end()) {
      override_it->second.used = true;
      node = &override_it->second.value;
      origin = kCommandLine;
    } else if (node) {
      // Point a wrong-shaped value (a mapping, a list) at its key's line.
      origin = node->kind == YamlNode::Kind::scalar ? node->origin : entry.key->origin;
    } else {
      missing_here(key, path, spec);
      return;
    }
    if (!accept(*node)) {
      std::string problem = "expected " + expected + found_instead(*node);
      if (!spec.choices.empty() && node->kind == YamlNode::Kind::scalar)
        problem += did_you_mean(node->scalar, choice_list(spec));
      throw InputError(origin, path, node->kind == YamlNode::Kind::scalar ? node->scalar : "", problem);
    }
    state_.locations[path] = Located{origin, node->scalar};
  }

  ReadState& state_;
  const YamlNode* mapping_;
  std::string prefix_;
  Origin origin_;  // where "missing key" errors point: the mapping's key, or the file
  bool absent_;
  std::vector<bool> consumed_;         // per entry of *mapping_
  std::vector<std::string> declared_;  // keys the schema declared here, in order
  std::optional<InputError> first_missing_;
};

// ---- Writer -----------------------------------------------------------------

class Writer final : public Fields {
 public:
  explicit Writer(YAML::Emitter& out) : out_(out) {}

  void real(std::string_view key, double& value, const Spec& spec) override { scalar(key, shortest(value), spec); }
  void integer(std::string_view key, std::int64_t& value, const Spec& spec) override {
    scalar(key, std::to_string(value), spec);
  }
  void flag(std::string_view key, bool& value, const Spec& spec) override {
    scalar(key, value ? "true" : "false", spec);
  }
  void date(std::string_view key, engine::Date& value, const Spec& spec) override { scalar(key, value.iso(), spec); }
  void optional_date(std::string_view key, std::optional<engine::Date>& value, const Spec& spec) override {
    if (value) return scalar(key, value->iso(), spec);
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::Null;
    comment(spec);
  }
  // yaml-cpp quotes text that would otherwise read back as something else
  // (null, "a: b", leading spaces, ...).
  void text(std::string_view key, std::string& value, const Spec& spec) override { scalar(key, value, spec); }

  void section(std::string_view key, const Spec&, const std::function<void(Fields&)>& body) override {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    body(*this);
    out_ << YAML::EndMap;
  }

  void named_sections(std::string_view key, const Spec&, NamedSections& entries) override {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    for (const std::string& name : entries.names()) {
      out_ << YAML::Key << name << YAML::Value << YAML::BeginMap;
      entries.visit(name, *this);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndMap;
  }

  void section_list(std::string_view key, const Spec&, SectionList& entries) override {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginSeq;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      out_ << YAML::BeginMap;
      entries.visit(i, *this);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

  void values(std::string_view key, std::vector<std::string>& value, const Spec& spec) override {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const std::string& text : value) override_value(text);
    out_ << YAML::EndSeq;
    comment(spec);
  }

  void key_paths(std::vector<Override>& value, const Spec&) override {
    for (const Override& item : value) {
      out_ << YAML::Key << item.path << YAML::Value;
      override_value(item.value);
    }
  }

 private:
  // Override text is YAML already: written so that it reads back the same.
  void override_value(const std::string& text) {
    const YamlNode node = parse_yaml_text(text, "override");
    if (node.is_null())
      out_ << YAML::Null;
    else if (node.quoted)
      out_ << YAML::DoubleQuoted << node.scalar;
    else
      out_ << node.scalar;
  }

  void scalar(std::string_view key, const std::string& text, const Spec& spec) {
    out_ << YAML::Key << std::string(key) << YAML::Value << text;
    comment(spec);
  }
  void comment(const Spec& spec) {
    if (!spec.unit.empty()) out_ << YAML::Comment(std::string(spec.unit));
  }

  YAML::Emitter& out_;
};

// ---- Schema printer ---------------------------------------------------------

// The schema is the same whatever file it is printed from: a named
// section lists the fields every entry has (NamedSections::describe_any).
class SchemaPrinter final : public Fields {
 public:
  SchemaPrinter(std::ostringstream& out, std::string prefix) : out_(out), prefix_(std::move(prefix)) {}

  void real(std::string_view key, double&, const Spec& spec) override {
    row(key, "number", spec, range(spec));
  }
  void integer(std::string_view key, std::int64_t&, const Spec& spec) override {
    row(key, "integer", spec, range(spec));
  }
  void flag(std::string_view key, bool&, const Spec& spec) override { row(key, "flag", spec, "true, false"); }
  void date(std::string_view key, engine::Date&, const Spec& spec) override { row(key, "date", spec, "YYYY-MM-DD"); }
  void optional_date(std::string_view key, std::optional<engine::Date>&, const Spec& spec) override {
    row(key, "date", spec, "YYYY-MM-DD or ~");
  }
  void text(std::string_view key, std::string&, const Spec& spec) override {
    std::string allowed;
    for (std::string_view choice : spec.choices) allowed += (allowed.empty() ? "`" : ", `") + std::string(choice) + "`";
    row(key, "text", spec, allowed);
  }
  void section(std::string_view key, const Spec& spec, const std::function<void(Fields&)>& body) override {
    row(key, "section", spec, "");
    SchemaPrinter child(out_, join(prefix_, key));
    body(child);
  }
  void named_sections(std::string_view key, const Spec& spec, NamedSections& entries) override {
    row(key, "named sections", spec, spec.min > 0 ? "at least " + entries_phrase(spec.min) : "");
    SchemaPrinter child(out_, join(prefix_, key) + ".<name>");
    entries.describe_any(child);
  }
  void section_list(std::string_view key, const Spec& spec, SectionList& entries) override {
    row(key, "list", spec, spec.min > 0 ? "at least " + entries_phrase(spec.min) : "");
    if (entries.size() == 0) return;
    SchemaPrinter child(out_, join(prefix_, key) + "[]");
    entries.visit(0, child);
  }
  void values(std::string_view key, std::vector<std::string>&, const Spec& spec) override {
    row(key, "values", spec, spec.form.empty() ? list_phrase(spec) : "`" + std::string(spec.form) + "`");
  }
  void key_paths(std::vector<Override>&, const Spec& spec) override { row("<key path>", "value", spec, ""); }

 private:
  static std::string range(const Spec& spec) {
    const bool low = std::isfinite(spec.min), high = std::isfinite(spec.max);
    if (low && high) return "[" + shortest(spec.min) + ", " + shortest(spec.max) + "]";
    if (low) return ">= " + shortest(spec.min);
    if (high) return "<= " + shortest(spec.max);
    return "any";
  }
  static std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  }
  void row(std::string_view key, std::string_view kind, const Spec& spec, const std::string& allowed) {
    out_ << "| `" << join(prefix_, key) << "` | " << kind << " | " << cell(spec.unit) << " | " << allowed << " | "
         << (spec.optional ? "no" : "yes") << " | " << cell(spec.description) << " |\n";
  }

  std::ostringstream& out_;
  std::string prefix_;
};

// ---- Leaf kinds ---------------------------------------------------------------

class KindCollector final : public Fields {
 public:
  KindCollector(std::map<std::string, FieldKind>& kinds, std::string prefix)
      : kinds_(kinds), prefix_(std::move(prefix)) {}
  void real(std::string_view key, double&, const Spec&) override { add(key, FieldKind::real); }
  void integer(std::string_view key, std::int64_t&, const Spec&) override { add(key, FieldKind::integer); }
  void flag(std::string_view key, bool&, const Spec&) override { add(key, FieldKind::flag); }
  void date(std::string_view key, engine::Date&, const Spec&) override { add(key, FieldKind::date); }
  void optional_date(std::string_view key, std::optional<engine::Date>&, const Spec&) override {
    add(key, FieldKind::date);
  }
  void text(std::string_view key, std::string&, const Spec&) override { add(key, FieldKind::text); }
  void section(std::string_view key, const Spec&, const std::function<void(Fields&)>& body) override {
    KindCollector child(kinds_, join(prefix_, key));
    body(child);
  }
  void named_sections(std::string_view key, const Spec&, NamedSections& entries) override {
    for (const std::string& name : entries.names()) {
      KindCollector child(kinds_, join(join(prefix_, key), name));
      entries.visit(name, child);
    }
  }
  // Lists have no key path an override could name.
  void section_list(std::string_view, const Spec&, SectionList&) override {}
  void values(std::string_view, std::vector<std::string>&, const Spec&) override {}
  void key_paths(std::vector<Override>&, const Spec&) override {}

 private:
  void add(std::string_view key, FieldKind kind) { kinds_[join(prefix_, key)] = kind; }
  std::map<std::string, FieldKind>& kinds_;
  std::string prefix_;
};

}  // namespace

// ---- Entry points -----------------------------------------------------------

Override parse_override(const std::string& argument) {
  const std::size_t equals = argument.find('=');
  if (equals == std::string::npos)
    throw InputError(kCommandLine, "", argument, "expected KEY.PATH=VALUE");
  std::string path = argument.substr(0, equals);
  const auto first = path.find_first_not_of(" \t"), last = path.find_last_not_of(" \t");
  path = first == std::string::npos ? "" : path.substr(first, last - first + 1);
  if (path.empty()) throw InputError(kCommandLine, "", argument, "expected KEY.PATH=VALUE; the key path is empty");
  return Override{path, argument.substr(equals + 1)};
}

Locations read_fields(const YamlNode& root, const std::vector<Override>& overrides, const Describe& describe) {
  ReadState state;
  for (const Override& item : overrides) {
    YamlNode value;
    try {
      value = parse_yaml_text(item.value, kCommandLine.file);
    } catch (const InputError& e) {
      throw InputError(kCommandLine, item.path, item.value, "not a valid YAML value: " + e.problem());
    }
    if (value.kind == YamlNode::Kind::mapping || value.kind == YamlNode::Kind::sequence)
      throw InputError(kCommandLine, item.path, item.value, "expected a single value, not a mapping or a list");
    value.origin = kCommandLine;
    state.overrides[item.path] = PendingOverride{item.value, std::move(value)};  // the last one wins
  }

  if (root.kind == YamlNode::Kind::scalar || root.kind == YamlNode::Kind::sequence)
    throw InputError(root.origin, "", "", "expected a mapping of keys at the top level");
  const YamlNode* mapping = root.kind == YamlNode::Kind::mapping ? &root : nullptr;
  Reader reader(state, mapping, "", Origin{root.origin.file, 0, 0}, false);
  describe(reader);
  reader.finish();

  for (const auto& [path, item] : state.overrides)
    if (!item.used)
      throw InputError(kCommandLine, path, item.value.scalar,
                       "unknown key path" + (closest_match(path, state.leaf_paths).empty()
                                                 ? unknown_path_hint(path, state.leaf_paths)
                                                 : did_you_mean(path, state.leaf_paths)));
  return std::move(state.locations);
}

std::string write_yaml(const Describe& describe) {
  YAML::Emitter out;
  out.SetNullFormat(YAML::TildeNull);
  out << YAML::BeginMap;
  Writer writer(out);
  describe(writer);
  out << YAML::EndMap;
  if (!out.good()) throw std::logic_error("write_yaml: " + out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

std::map<std::string, FieldKind> leaf_kinds(const Describe& describe) {
  std::map<std::string, FieldKind> kinds;
  KindCollector collector(kinds, "");
  describe(collector);
  return kinds;
}

std::string schema_markdown(const Describe& describe) {
  std::ostringstream out;
  out << "| Key | Kind | Unit | Allowed | Required | Description |\n"
      << "|-----|------|------|---------|----------|-------------|\n";
  SchemaPrinter printer(out, "");
  describe(printer);
  return out.str();
}

}  // namespace fraudsim::input
