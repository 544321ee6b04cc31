#pragma once
// A YAML document as a tree that keeps every node's position and rejects
// duplicate keys (yaml-cpp's own Node API silently accepts them).
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "input/input_error.hpp"

namespace fraudsim::input {

struct YamlNode {
  enum class Kind { null, scalar, sequence, mapping };
  Kind kind = Kind::null;
  Origin origin;        // where the node starts
  std::string scalar;   // for scalars: the text as written (without quotes)
  bool quoted = false;  // scalar was single- or double-quoted (so "1" is text, not a number)
  std::vector<std::pair<YamlNode, YamlNode>> mapping;  // key node, value node; file order
  std::vector<YamlNode> sequence;

  // Declared here and defaulted in the .cpp, where YamlNode is complete:
  // clang (with libstdc++) cannot check std::pair<YamlNode, YamlNode> from
  // inside the definition of YamlNode.
  YamlNode();
  YamlNode(const YamlNode&);
  YamlNode(YamlNode&&) noexcept;
  YamlNode& operator=(const YamlNode&);
  YamlNode& operator=(YamlNode&&) noexcept;
  ~YamlNode();

  const YamlNode* find(const std::string& key) const;  // mapping lookup; nullptr if absent
  // Nothing, or a plain ~, null, Null, NULL or empty scalar; quoted "null" is text.
  bool is_null() const;
};

// Far beyond any input a person writes (the reference scenario has about a
// thousand values), and small enough to keep memory and time small: aliases
// copy their anchor, so a short file of nested aliases could otherwise
// expand to billions of values.
inline constexpr std::size_t max_yaml_values = 100'000;

// Parse one YAML document of at most `max_values` values (aliases expanded).
// `file_label` names the source in messages. Throws InputError on a syntax
// error (with line and column), a duplicate key (naming the line of the first
// occurrence), more than one document, or more values.
YamlNode parse_yaml_text(const std::string& text, const std::string& file_label,
                         std::size_t max_values = max_yaml_values);
// Reads the file; a missing or unreadable file is an InputError too.
YamlNode parse_yaml_file(const std::string& path);

}  // namespace fraudsim::input
