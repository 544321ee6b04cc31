#include "output/hdf5_writer.hpp"

#include <cerrno>
#include <set>
#include <string_view>
#include <utility>

#include "output/hdf5_builder.hpp"
#include "output/hdf5_handle.hpp"

namespace fraudsim::output {
namespace {

namespace fs = std::filesystem;

using h5::Hid;
using h5::ok;

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

// -- validation: mistakes of the caller, not of the disk ---------------------

void require(bool cond, const std::string& msg) {
  if (!cond) throw std::logic_error("write_hdf5: " + msg);
}

void check_name(const std::string& name, std::set<std::string>& seen, const std::string& where) {
  require(!name.empty() && name.find('/') == std::string::npos && name != "." && name != "..",
          "invalid name '" + name + "' in " + where);
  require(seen.insert(name).second, "duplicate name '" + name + "' in " + where);
}

template <class V>
std::size_t length(const V& values) {
  return std::visit([](const auto& v) { return v.size(); }, values);
}

void validate_series(const std::vector<Series>& series, std::size_t n, const std::string& group,
                     const std::string& axis) {
  std::set<std::string> seen{axis};
  for (const Series& s : series) {
    check_name(s.name, seen, "/" + group);
    require(length(s.values) == n, "series /" + group + "/" + s.name + " has " + std::to_string(length(s.values)) +
                                       " values for " + std::to_string(n) + " entries of /" + group + "/" + axis);
  }
}

void validate(const RunOutput& run) {
  std::set<std::string> meta, perf;
  for (const auto& [name, value] : run.meta) check_name(name, meta, "/meta");
  for (const auto& [name, value] : run.perf_seconds) check_name(name, perf, "/perf");
  validate_series(run.daily, run.daily_dates.size(), "daily", "date");
  validate_series(run.monthly, run.monthly_months.size(), "monthly", "month");
  const std::set<std::string> reserved{"meta", "daily", "monthly", "perf"};
  std::set<std::string> groups;
  for (const Table& t : run.tables) {
    require(!t.group.empty() && t.group.front() != '/' && t.group.back() != '/' &&
                t.group.find("//") == std::string::npos,
            "invalid table group '" + t.group + "'");
    require(!reserved.contains(t.group.substr(0, t.group.find('/'))) && groups.insert(t.group).second,
            "table group '" + t.group + "' clashes with another group");
    std::set<std::string> cols;
    auto rows = [](const Column& c) { return c.width ? length(c.values) / c.width : length(c.values); };
    for (const Column& c : t.columns) {
      check_name(c.name, cols, "/" + t.group);
      require(!c.width || length(c.values) % c.width == 0,
              "column /" + t.group + "/" + c.name + " has " + std::to_string(length(c.values)) +
                  " values, not a multiple of its width " + std::to_string(c.width));
      require(t.ragged || rows(c) == rows(t.columns.front()),
              "column /" + t.group + "/" + c.name + " has " + std::to_string(rows(c)) + " rows, column " +
                  t.columns.front().name + " has " + std::to_string(rows(t.columns.front())));
    }
  }
}

// -- writing ---------------------------------------------------------------

void write_series(h5::Builder& b, const std::string& group, const std::string& axis_name,
                  const std::string& axis_units, const std::string& axis_description,
                  const std::vector<std::string>& axis,
                  const std::vector<Series>& series) {
  const std::string path = "/" + group;
  b.group(path);
  b.dataset(path + "/" + axis_name, axis);
  b.attribute(path + "/" + axis_name, "units", axis_units);
  b.attribute(path + "/" + axis_name, "description", axis_description);
  for (const Series& s : series) {
    const std::string dataset = path + "/" + s.name;
    b.dataset(dataset, s.values);
    b.attribute(dataset, "units", s.units);
    b.attribute(dataset, "description", s.description);
    b.attribute(dataset, "kind", std::string(s.kind == Kind::stock ? "stock" : "flow"));
    b.attribute(dataset, "scaled", std::int64_t{s.scaled ? 1 : 0});
  }
}

void write_contents(hid_t file, const RunOutput& run) {
  h5::Builder b(file);
  b.group("/meta");
  for (const auto& [name, value] : run.meta) b.attribute("/meta", name, value);
  write_series(b, "daily", "date", "date", "the simulated days, YYYY-MM-DD: the index of every /daily series",
               run.daily_dates, run.daily);
  write_series(b, "monthly", "month", "month", "the simulated months, YYYY-MM: the index of every /monthly series",
               run.monthly_months, run.monthly);
  for (const Table& t : run.tables) {
    const std::string path = "/" + t.group;
    b.group(path);
    b.attribute(path, "description", t.description);
    for (const Column& c : t.columns) {
      const std::string dataset = path + "/" + c.name;
      b.dataset(dataset, c.values, c.width);
      b.attribute(dataset, "units", c.units);
      b.attribute(dataset, "description", c.description);
    }
  }
  b.group("/perf");
  for (const auto& [name, seconds] : run.perf_seconds) b.attribute("/perf", name, seconds);
}

// HDF5 builds the file in memory (core driver, no backing store) and we write
// the bytes ourselves. In HDF5 1.10 a failed H5Fclose (disk full during the
// final flush) leaves a dangling file ID that crashes the process at exit
// (HDFFV-11052, fixed in 1.14.1); here HDF5 never touches the disk, and our
// own write() reports errno exactly. Outputs are a few MB, so memory is cheap.
std::vector<char> build_image(const RunOutput& run, const fs::path& path) {
  const h5::Access access;
  errno = 0;
  Hid fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "H5Pcreate");
  ok(H5Pset_fapl_core(fapl, 1 << 20, 0), "H5Pset_fapl_core");
  // STRONG: closing the file also closes anything an exception left open.
  ok(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), "H5Pset_fclose_degree");
  Hid file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose, "creating the file in memory");
  write_contents(file, run);
  ok(H5Fflush(file, H5F_SCOPE_GLOBAL), "flushing the file");
  std::vector<char> image(static_cast<std::size_t>(ok(H5Fget_file_image(file, nullptr, 0), "H5Fget_file_image")));
  ok(H5Fget_file_image(file, image.data(), image.size()), "H5Fget_file_image");
  file.close("closing the file");
  return image;
}

}  // namespace

void write_hdf5(const RunOutput& run, const fs::path& path) {
  validate(run);
  std::vector<char> image;
  try {
    image = build_image(run, path);
  } catch (const h5::Error& e) {
    throw OutputError("cannot write output file " + quoted(path) + ": " + e.what());
  }
  write_file(path, std::string_view(image.data(), image.size()));
}

}  // namespace fraudsim::output
