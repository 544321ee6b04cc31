#include "input/yaml_tree.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <system_error>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace fraudsim::input {

YamlNode::YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;
YamlNode::~YamlNode() = default;

const YamlNode* YamlNode::find(const std::string& key) const {
  for (const auto& [k, v] : mapping)
    if (k.kind == Kind::scalar && k.scalar == key) return &v;
  return nullptr;
}

bool YamlNode::is_null() const {
  if (kind == Kind::null) return true;
  if (kind != Kind::scalar || quoted) return false;
  return scalar.empty() || scalar == "~" || scalar == "null" || scalar == "Null" || scalar == "NULL";
}

namespace {

// The same as max_yaml_values for the file itself; it also stops a read of /dev/zero.
constexpr std::size_t max_file_bytes = 16 << 20;

// Builds the tree from yaml-cpp's events. yaml-cpp's Node API would be
// shorter, but it silently keeps the last of two duplicate keys and loses the
// position of scalars; the event stream has both.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::string file, std::size_t max_values) : file_(std::move(file)), max_values_(max_values) {}

  std::optional<YamlNode> root;

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw InputError(origin(mark), "", "",
                       "more than one YAML document ('---'); a scenario file holds exactly one");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode node;
    node.origin = origin(mark);
    count(node.origin, 1);
    complete(std::move(node), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto found = anchors_.find(anchor);
    if (found == anchors_.end())
      throw InputError(origin(mark), "", "", "alias refers to an anchor that is not (yet) complete");
    count(origin(mark), found->second.values);
    complete(YamlNode(found->second.node), YAML::NullAnchor, found->second.values);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode node;
    node.kind = YamlNode::Kind::scalar;
    node.origin = origin(mark);
    node.scalar = value;
    // yaml-cpp tags quoted scalars "!" and plain ones "?"; an explicit !!str
    // also makes the scalar text.
    node.quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    count(node.origin, 1);
    complete(std::move(node), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::sequence, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(YamlNode::Kind::mapping, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    std::size_t values = 1;  // nodes in the tree under `node`, itself included
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::optional<YamlNode> pending_key;  // mappings: the key whose value is being read
    std::map<std::string, int> key_lines;  // mappings: line of each key seen so far
  };

  Origin origin(const YAML::Mark& mark) const {
    return Origin{file_, mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1};
  }

  // Every node built, aliases expanded, counts against max_values_.
  void count(const Origin& where, std::size_t values) {
    values_ += values;
    if (values_ > max_values_)
      throw InputError(where, "", "",
                       "the document holds more than " + std::to_string(max_values_) +
                           " values (with aliases expanded); a fraudsim input holds a few thousand");
  }

  void open(YamlNode::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(origin(mark), 1);
    Frame frame;
    frame.node.kind = kind;
    frame.node.origin = origin(mark);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(frame.node), frame.anchor, frame.values);
  }

  // The key path of the collection on top of the stack, for messages.
  std::string path_of_top() const {
    std::string path;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Frame& frame = stack_[i];
      if (frame.node.kind == YamlNode::Kind::sequence) {
        // Appended piece by piece: GCC 12 gives a false -Wrestrict on "[" + std::string.
        path += '[';
        path += std::to_string(frame.node.sequence.size());
        path += ']';
      } else if (frame.pending_key) {
        if (!path.empty()) path += '.';
        path += frame.pending_key->scalar;
      }
    }
    return path;
  }

  // Adds a finished node, `values` nodes in all, to its parent.
  void complete(YamlNode node, YAML::anchor_t anchor, std::size_t values) {
    if (anchor != YAML::NullAnchor) {
      count(node.origin, values);  // the anchor's copy
      anchors_[anchor] = Anchored{node, values};
    }
    if (stack_.empty()) {
      root = std::move(node);
      return;
    }
    Frame& top = stack_.back();
    top.values += values;
    if (top.node.kind == YamlNode::Kind::sequence) {
      top.node.sequence.push_back(std::move(node));
    } else if (top.pending_key) {
      // yaml-cpp places an empty value ("key:" then a newline) at the next
      // token, often lines further down; the key's line is where it was written.
      if (node.kind == YamlNode::Kind::null && node.origin.line > top.pending_key->origin.line)
        node.origin = top.pending_key->origin;
      top.node.mapping.emplace_back(std::move(*top.pending_key), std::move(node));
      top.pending_key.reset();
    } else {
      add_key(top, std::move(node));
    }
  }

  void add_key(Frame& top, YamlNode key) {
    const std::string prefix = path_of_top();
    if (key.kind == YamlNode::Kind::mapping || key.kind == YamlNode::Kind::sequence)
      throw InputError(key.origin, prefix, "", "a mapping key must be a plain value, not a collection");
    const std::string path = prefix.empty() ? key.scalar : prefix + "." + key.scalar;
    const auto [seen, inserted] = top.key_lines.emplace(key.scalar, key.origin.line);
    if (!inserted)
      throw InputError(key.origin, path, "",
                       "duplicate key (first defined at line " + std::to_string(seen->second) + ")");
    top.pending_key = std::move(key);
  }

  struct Anchored {
    YamlNode node;
    std::size_t values = 1;
  };

  std::string file_;
  int documents_ = 0;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::size_t max_values_;
  std::size_t values_ = 0;  // nodes built so far, copies included
};

// What lies behind the parser's words for the commonest slips: a tab in the
// indentation of the line (YAML indents with spaces only), a bracket that
// does not match, a list entry or key out of line.
std::string syntax_hint(const std::string& text, int line, const std::string& message) {
  std::istringstream lines(text);
  std::string content;
  for (int n = 0; n < line && std::getline(lines, content); ++n) {
  }
  const std::size_t indent = content.find_first_not_of(" \t");
  if (line > 0 && content.substr(0, indent).find('\t') != std::string::npos)
    return " (line " + std::to_string(line) + " is indented with a tab; YAML indents with spaces only)";
  if (message == YAML::ErrorMsg::FLOW_END) return " (a closing bracket or brace that does not match the one it closes)";
  if (message == YAML::ErrorMsg::END_OF_MAP_FLOW) return " (a '{' without its '}')";
  if (message == YAML::ErrorMsg::END_OF_SEQ_FLOW) return " (a '[' without its ']')";
  if (message == YAML::ErrorMsg::MAP_VALUE || message == YAML::ErrorMsg::BLOCK_ENTRY || message == YAML::ErrorMsg::END_OF_MAP)
    return " (check the indentation of this line and the one before, and that a value with ': ' in it is quoted)";
  return "";
}

}  // namespace

YamlNode parse_yaml_text(const std::string& text, const std::string& file_label, std::size_t max_values) {
  std::istringstream in(text);
  TreeBuilder builder(file_label, max_values);
  try {
    YAML::Parser parser(in);
    // A second HandleNextDocument call makes a second document an error
    // (thrown from OnDocumentStart) instead of silently ignoring it.
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line < 0 ? 0 : e.mark.line + 1;
    const int column = e.mark.column < 0 ? 0 : e.mark.column + 1;
    throw InputError(Origin{file_label, line, column}, "", "", "YAML syntax error: " + e.msg + syntax_hint(text, line, e.msg));
  }
  if (builder.root) return std::move(*builder.root);
  YamlNode empty;  // no document at all: an empty (or comment-only) file
  empty.origin = Origin{file_label, 0, 0};
  return empty;
}

YamlNode parse_yaml_file(const std::string& path) {
  auto unreadable = [&](int error) {
    return InputError(Origin{path, 0, 0}, "", "", "cannot read file: " + std::generic_category().message(error));
  };
  // A directory opens fine as a stream and then reads as an empty file.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw unreadable(EISDIR);
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw unreadable(errno != 0 ? errno : EIO);
  // Read in pieces up to the limit, so that a device or a pipe without end
  // (/dev/zero) is refused instead of filling memory.
  std::string text;
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes)
      throw InputError(Origin{path, 0, 0}, "", "",
                       "the file is larger than " + std::to_string(max_file_bytes >> 20) +
                           " MiB; a fraudsim input is a few kilobytes");
  }
  if (in.bad()) throw unreadable(errno != 0 ? errno : EIO);
  return parse_yaml_text(text, path);
}

}  // namespace fraudsim::input
