#include "input/yaml_writer.hpp"

#include <yaml-cpp/yaml.h>

namespace fraudsim::input {

struct YamlWriter::Emitter {
  YAML::Emitter out;
};

YamlWriter::YamlWriter() : out_(std::make_unique<Emitter>()) {}
YamlWriter::~YamlWriter() = default;

YamlWriter& YamlWriter::comment(const std::string& text) {
  out_->out << YAML::Comment(text);
  return *this;
}
YamlWriter& YamlWriter::begin_map(bool flow) {
  if (flow) out_->out << YAML::Flow;
  out_->out << YAML::BeginMap;
  return *this;
}
YamlWriter& YamlWriter::end_map() {
  out_->out << YAML::EndMap;
  return *this;
}
YamlWriter& YamlWriter::begin_list(bool flow) {
  if (flow) out_->out << YAML::Flow;
  out_->out << YAML::BeginSeq;
  return *this;
}
YamlWriter& YamlWriter::end_list() {
  out_->out << YAML::EndSeq;
  return *this;
}
YamlWriter& YamlWriter::key(const std::string& name) {
  out_->out << YAML::Key << name << YAML::Value;
  return *this;
}
YamlWriter& YamlWriter::value(const std::string& text) {
  out_->out << text;
  return *this;
}
YamlWriter& YamlWriter::value(std::int64_t number) {
  out_->out << number;
  return *this;
}
YamlWriter& YamlWriter::value(std::uint64_t number) {
  out_->out << number;
  return *this;
}
YamlWriter& YamlWriter::value(bool flag) {
  out_->out << flag;
  return *this;
}
YamlWriter& YamlWriter::literal(const std::string& text) {
  out_->out << YAML::Literal << text;
  return *this;
}
std::string YamlWriter::text() const { return std::string(out_->out.c_str()) + "\n"; }

}  // namespace fraudsim::input
