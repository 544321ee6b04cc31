#pragma once
// Checks of command-line values whose failures read like the loaders' messages.
#include <CLI/CLI.hpp>
#include <charconv>
#include <string>

namespace fraudsim::app {

// A whole number, `least` or more (CLI11's NonNegativeNumber names the range of a double instead).
inline CLI::Validator whole_number(long long least = 0) {
  return CLI::Validator(
      [least](std::string& text) -> std::string {
        long long value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size() || value < least)
          return "'" + text + "': expected a whole number, " + std::to_string(least) + " or more";
        return "";
      },
      "N");
}

}  // namespace fraudsim::app
