#include "output/provenance.hpp"

#include <unistd.h>

#include <array>
#include <ctime>

namespace fraudsim::output {

namespace {

Invocation& recorded() {
  static Invocation invocation;
  return invocation;
}

std::string now_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text.data();
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "";
  return name.data();
}

}  // namespace

void record_invocation(Invocation invocation) { recorded() = std::move(invocation); }

std::vector<std::pair<std::string, MetaValue>> provenance_meta() {
  std::string overrides;
  for (const std::string& item : recorded().overrides) overrides += (overrides.empty() ? "" : "\n") + item;
  return {{"command_line", recorded().command_line},
          {"overrides", overrides},
          {"created_utc", now_utc()},
          {"host", host_name()}};
}

}  // namespace fraudsim::output
