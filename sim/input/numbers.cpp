#include "input/numbers.hpp"

#include <charconv>
#include <cmath>

namespace fraudsim::input {

namespace {

// from_chars takes a leading '-' but not a '+'; a '+' followed by another
// sign ("+-1") is no number.
std::string_view without_plus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  text = without_plus(text);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  const std::string_view digits = without_plus(text);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error == std::errc() && end == digits.data() + digits.size()) return value;
  const std::optional<double> real = parse_number(text);
  constexpr double limit = 9223372036854775808.0;  // 2^63
  if (!real || std::trunc(*real) != *real || *real >= limit || *real < -limit) return std::nullopt;
  return static_cast<std::int64_t>(*real);
}

std::string shortest(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

}  // namespace fraudsim::input
