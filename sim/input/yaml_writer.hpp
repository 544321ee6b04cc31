#pragma once
// Writing YAML without seeing yaml-cpp: the emitter behind a small interface,
// for files whose exact text matters (a sweep's resolved form is hashed into
// its id).
#include <cstdint>
#include <memory>
#include <string>

namespace fraudsim::input {

class YamlWriter {
 public:
  YamlWriter();
  ~YamlWriter();
  YamlWriter(const YamlWriter&) = delete;
  YamlWriter& operator=(const YamlWriter&) = delete;

  YamlWriter& comment(const std::string& text);
  YamlWriter& begin_map(bool flow = false);  // flow: {a: 1, b: 2} on one line
  YamlWriter& end_map();
  YamlWriter& begin_list(bool flow = false);
  YamlWriter& end_list();
  YamlWriter& key(const std::string& name);
  YamlWriter& value(const std::string& text);
  YamlWriter& value(const char* text) { return value(std::string(text)); }
  YamlWriter& value(std::int64_t number);
  YamlWriter& value(std::uint64_t number);
  YamlWriter& value(bool flag);
  YamlWriter& literal(const std::string& text);  // a block of lines kept as written (|)
  // The document so far, ending in a newline.
  std::string text() const;

 private:
  struct Emitter;
  std::unique_ptr<Emitter> out_;
};

}  // namespace fraudsim::input
