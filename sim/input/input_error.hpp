#pragma once
// Errors the user can cause in an input file or on the command line.
#include <stdexcept>
#include <string>
#include <vector>

namespace fraudsim::input {

// Where a value came from: a file position (1-based line and column), or a
// command-line override (file "--set", line 0).
struct Origin {
  std::string file;
  int line = 0;
  int column = 0;
  std::string describe() const;  // "file:line:column", "file" when line is 0
};

// One clear message: where, which key, which value, and what was expected.
// what() reads  "<origin>: <key_path> = <value>: <problem>"  (key/value parts
// left out when empty), on one line: control characters from the input are
// escaped (\n, \xNN). The loader throws it; the command line prints what()
// and exits with code 2.
class InputError : public std::runtime_error {
 public:
  InputError(Origin origin, std::string key_path, std::string value, std::string problem);
  const Origin& origin() const { return origin_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& value() const { return value_; }
  const std::string& problem() const { return problem_; }

 private:
  Origin origin_;
  std::string key_path_, value_, problem_;
};

// The closest candidate by edit distance, or "" if none is close enough to be
// a plausible typo (distance at most max(2, length / 3)) or a shortened
// name (the shortest candidate that begins with the word).
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace fraudsim::input
