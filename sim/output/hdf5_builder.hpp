#pragma once
// Groups, attributes and datasets written into an open HDF5 file, each named
// by its path in the file: the one place that knows how fraudsim stores its
// values (int64 and float64 little-endian, text as variable-length UTF-8,
// no modification times). Used by the run writer (a file in memory) and by
// NewFile (the merged sweep, on disk). The caller holds an Access.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "output/hdf5_handle.hpp"
#include "output/run_output.hpp"

namespace fraudsim::output::h5 {

class Builder {
 public:
  explicit Builder(hid_t file);

  // A group, with any missing parents.
  void group(const std::string& path);
  void attribute(const std::string& object, const std::string& name, const MetaValue& value);
  void attribute(const std::string& object, const std::string& name, const Text& values);
  // A 1-D dataset, or with `width` > 0 a 2-D [rows, width] one in row-major order.
  template <class... T>
  void dataset(const std::string& path, const std::variant<std::vector<T>...>& values, std::size_t width = 0) {
    std::visit([&](const auto& v) { dataset(path, v, width); }, values);
  }
  void dataset(const std::string& path, const std::vector<std::int64_t>& values, std::size_t width = 0);
  void dataset(const std::string& path, const std::vector<double>& values, std::size_t width = 0);
  void dataset(const std::string& path, const Text& values, std::size_t width = 0);
  // A 2-D [rows, columns] dataset of int64 (integers) or float64, filled by write_rows.
  void matrix(const std::string& path, bool integers, std::uint64_t rows, std::uint64_t columns);
  void write_rows(const std::string& path, bool integers, std::uint64_t first_row, std::uint64_t rows,
                  std::uint64_t columns, const void* values);

 private:
  template <class T>
  void write_dataset(const std::string& path, hid_t file_type, hid_t memory_type, const std::vector<T>& values,
                     const void* data, std::size_t width);
  // A scalar without `length`, else a 1-D attribute of that length.
  void write_attribute(const std::string& object, const std::string& name, hid_t file_type, hid_t memory_type,
                       std::optional<hsize_t> length, const void* data);

  hid_t file_;
  Hid text_, group_plist_, dataset_plist_, link_plist_;
};

}  // namespace fraudsim::output::h5
