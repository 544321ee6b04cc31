#include "input/input_error.hpp"

#include <algorithm>
#include <numeric>

namespace fraudsim::input {

std::string Origin::describe() const {
  if (line <= 0) return file;
  // Appended piece by piece: GCC 12 gives a false -Wrestrict on ":" + std::string.
  std::string out = file;
  out += ':';
  out += std::to_string(line);
  if (column > 0) {
    out += ':';
    out += std::to_string(column);
  }
  return out;
}

namespace {

// Quoting keeps a value with spaces (or an empty one) readable as one unit
// inside the message.
std::string display_value(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t") == std::string::npos) return value;
  return "\"" + value + "\"";
}

// The message is one line whatever the input holds: a newline, a carriage
// return or any other control character (in a quoted key, a --set argument,
// a file name) is written as an escape, \n, \r, \t or \xNN.
std::string one_line(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
  return out;
}

// The value part is left out when empty: an empty value is nearly always
// "there is no value" (a missing key, a mapping), not an empty string.
std::string compose(const Origin& origin, const std::string& key_path, const std::string& value,
                    const std::string& problem) {
  std::string out = origin.describe() + ": ";
  if (!key_path.empty()) {
    out += key_path;
    if (!value.empty()) out += " = " + display_value(value);
    out += ": ";
  } else if (!value.empty()) {
    out += display_value(value) + ": ";
  }
  return one_line(out + problem);
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  // One row of the Levenshtein table at a time.
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

InputError::InputError(Origin origin, std::string key_path, std::string value, std::string problem)
    : std::runtime_error(compose(origin, key_path, value, problem)),
      origin_(std::move(origin)),
      key_path_(std::move(key_path)),
      value_(std::move(value)),
      problem_(std::move(problem)) {}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (!best.empty() || word.empty()) return best;
  // A shortened name ("acceptance" for "acceptance_probability") is far by
  // edit distance but plainly meant: take the shortest key it begins.
  for (const std::string& candidate : candidates)
    if (candidate.size() > word.size() && candidate.compare(0, word.size(), word) == 0 &&
        (best.empty() || candidate.size() < best.size()))
      best = candidate;
  return best;
}

}  // namespace fraudsim::input
