#pragma once
// Reading fraudsim's HDF5 files (a sweep's run files, `fraudsim verify`) and
// writing a file dataset by dataset on disk (the merged sweep, too large to
// build in memory as write_hdf5 does). Objects are named by their path in
// the file. Each Reader and NewFile holds HDF5's lock while it is open (HDF5
// is not thread-safe), so callers need not.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "output/run_output.hpp"

namespace fraudsim::output {

namespace h5 {

// A failed HDF5 (or file-system) call; callers add the file it concerns.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Numbers = std::variant<std::vector<std::int64_t>, std::vector<double>>;
using Text = std::vector<std::string>;
using Values = std::variant<std::vector<std::int64_t>, std::vector<double>, Text>;

class Builder;

// A file opened to read; throws Error if it is not HDF5 or is damaged.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& file);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  bool exists(const std::string& path) const;
  Text text(const std::string& path) const;                          // a 1-D dataset of strings
  Numbers numbers(const std::string& path) const;                    // a 1-D int64 or float64 dataset
  std::vector<std::string> members(const std::string& group) const;  // sorted by name
  // The scalar attributes (text, integer, real) of `object`; others are left out.
  std::map<std::string, MetaValue> attributes(const std::string& object) const;  // see Attributes
  // Every dataset outside /perf by path, as its raw values: numbers as bytes
  // in their native type, strings as text. Equal means bit-identical.
  std::map<std::string, std::string> dataset_values() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A new file at `path` (which must not exist), written object by object;
// close() reports a failure of the final flush. Write it through write_file
// (output/safe_write.hpp) to give it its name safely.
class NewFile {
 public:
  explicit NewFile(const std::filesystem::path& path);
  ~NewFile();
  NewFile(const NewFile&) = delete;
  NewFile& operator=(const NewFile&) = delete;

  void group(const std::string& path);
  void attribute(const std::string& object, const std::string& name, const MetaValue& value);
  void attribute(const std::string& object, const std::string& name, const Text& values);
  // A 1-D dataset; units and description attributes when not empty.
  void column(const std::string& path, const Values& values, const std::string& units = "",
              const std::string& description = "");
  // A 2-D [rows, columns] dataset of int64 (integers) or float64, written a block of rows at a time.
  void matrix(const std::string& path, bool integers, std::uint64_t rows, std::uint64_t columns);
  void write_rows(const std::string& path, bool integers, std::uint64_t first_row, std::uint64_t rows,
                  std::uint64_t columns, const void* values);
  void close();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace h5

using Attributes = std::map<std::string, MetaValue>;

// Attribute `name` if `attributes` has it with type T, else nullptr.
template <class T>
const T* find_attribute(const Attributes& attributes, const std::string& name) {
  const auto found = attributes.find(name);
  return found == attributes.end() ? nullptr : std::get_if<T>(&found->second);
}

// The attributes of /meta of `file`, or nullopt if it has no /meta. Throws
// h5::Error if the file cannot be read as HDF5.
std::optional<std::map<std::string, MetaValue>> read_meta(const std::filesystem::path& file);

// Every dataset of `file` outside /perf, as Reader::dataset_values.
std::map<std::string, std::string> read_datasets(const std::filesystem::path& file);

}  // namespace fraudsim::output
