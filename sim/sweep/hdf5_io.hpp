#pragma once
// Small helpers over the HDF5 C API for the sweep and `verify`: reading run
// files, and writing the merged file with its 2-D [run, month] datasets, on
// the handle of output/hdf5_handle.hpp.
//
// Debian's serial HDF5 is not thread-safe: hold the lock() while calling
// into HDF5 from a sweep's worker threads.
#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "output/hdf5_handle.hpp"

namespace fraudsim::sweep::h5 {

// The shared handle, error and quiet guard (output/hdf5_handle.hpp).
using output::h5::Error;
using output::h5::Hid;
using output::h5::ok;
using output::h5::QuietErrors;

std::mutex& lock();

using Numbers = std::variant<std::vector<std::int64_t>, std::vector<double>>;
using Text = std::vector<std::string>;

// ---- Reading ------------------------------------------------------------------

Hid open_read_only(const std::filesystem::path& file);
bool has_attribute(hid_t object, const std::string& name);
std::string string_attribute(hid_t object, const std::string& name);
std::int64_t integer_attribute(hid_t object, const std::string& name);
Text read_text(hid_t file, const std::string& path);                          // a 1-D dataset of strings
Numbers read_numbers(hid_t file, const std::string& path);                    // a 1-D int64 or float64 dataset
std::vector<std::string> member_names(hid_t file, const std::string& group);  // sorted by name

// ---- Writing ------------------------------------------------------------------

// Writes into a new file at a temporary path; commit() closes, fsyncs and
// renames it over the target. Destroyed without commit(), it removes the
// temporary file: the target is either complete or untouched.
class NewFile {
 public:
  explicit NewFile(const std::filesystem::path& target);
  ~NewFile();
  NewFile(const NewFile&) = delete;
  NewFile& operator=(const NewFile&) = delete;
  hid_t id() const { return file_; }
  void commit();

  Hid group(const std::string& path);
  void attribute(hid_t object, const std::string& name, const std::string& value);
  void attribute(hid_t object, const std::string& name, std::int64_t value);
  void attribute(hid_t object, const std::string& name, const Text& values);
  // A 1-D dataset; units and description attributes when not empty.
  void column(hid_t parent, const std::string& name,
              const std::variant<std::vector<std::int64_t>, std::vector<double>, Text>& values,
              const std::string& units = "", const std::string& description = "");
  // A 2-D [rows, columns] dataset of int64 (integers) or float64, written a block of rows at a time.
  Hid matrix(hid_t parent, const std::string& name, bool integers, std::uint64_t rows, std::uint64_t columns);
  void write_rows(hid_t matrix, bool integers, std::uint64_t first_row, std::uint64_t rows, std::uint64_t columns,
                  const void* values);

 private:
  std::filesystem::path target_, temporary_;
  Hid file_, text_type_, dataset_plist_, group_plist_;
  bool committed_ = false;
};

}  // namespace fraudsim::sweep::h5
