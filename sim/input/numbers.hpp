#pragma once
// Numbers as every input file writes them, and as fraudsim writes them back.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fraudsim::input {

// A finite number in decimal or exponent notation ("0.25", "-3", "1e6");
// YAML's leading '+' ("+1.5") is taken too. Anything else (a trailing unit,
// "1,000", ".inf", "nan", an empty text) is nullopt.
std::optional<double> parse_number(std::string_view text);

// An integer; float notation ("1e6", "2.0") too when the value is exactly
// integral, since counts are naturally written as 1e6. "2.5" is nullopt,
// not rounded, and so is a value beyond the 64-bit range.
std::optional<std::int64_t> parse_integer(std::string_view text);

// The shortest text that reads back as exactly the same double.
std::string shortest(double value);

}  // namespace fraudsim::input
