#include "output/hdf5_writer.hpp"

#include "output/hdf5_handle.hpp"

#include <fcntl.h>
#include <hdf5.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>
#include <system_error>
#include <utility>

namespace fraudsim::output {
namespace {

namespace fs = std::filesystem;

// A failure inside the writer; write_hdf5 turns it into an OutputError that
// also names the target file.
using Failure = h5::Error;
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

// -- writing -----------------------------------------------------------------

class Writer {
 public:
  explicit Writer(hid_t file)
      : file_(file),
        str_(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy"),
        gcpl_(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "H5Pcreate"),
        dcpl_(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "H5Pcreate"),
        lcpl_(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "H5Pcreate") {
    ok(H5Tset_size(str_, H5T_VARIABLE), "H5Tset_size");
    ok(H5Tset_cset(str_, H5T_CSET_UTF8), "H5Tset_cset");
    // Object modification times are the only thing that would make two
    // identical runs give different bytes.
    ok(H5Pset_obj_track_times(gcpl_, 0), "H5Pset_obj_track_times");
    ok(H5Pset_obj_track_times(dcpl_, 0), "H5Pset_obj_track_times");
    ok(H5Pset_create_intermediate_group(lcpl_, 1), "H5Pset_create_intermediate_group");
  }

  Hid group(const std::string& path) {
    return Hid(H5Gcreate2(file_, path.c_str(), lcpl_, gcpl_, H5P_DEFAULT), H5Gclose, "creating group " + path);
  }

  void attr(hid_t obj, const std::string& where, const std::string& name, const MetaValue& value) {
    std::visit([&](const auto& v) { write_attr(obj, where, name, v); }, value);
  }

  // A 1-D dataset; the axis datasets (date, month) carry no units.
  template <class Values>
  void dataset(hid_t parent, const std::string& where, const std::string& name, const Values& values,
               const std::string& units, const std::string& description, std::size_t width = 0) {
    Hid d = std::visit([&](const auto& v) { return write_dataset(parent, where, name, v, width); }, values);
    write_attr(d, where + "/" + name, "units", units);
    write_attr(d, where + "/" + name, "description", description);
  }

  void axis(hid_t parent, const std::string& where, const std::string& name, const std::vector<std::string>& v) {
    write_dataset(parent, where, name, v);
  }

 private:
  // File and memory type for each element type.
  std::pair<hid_t, hid_t> types(std::int64_t) const { return {H5T_STD_I64LE, H5T_NATIVE_INT64}; }
  std::pair<hid_t, hid_t> types(double) const { return {H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE}; }
  std::pair<hid_t, hid_t> types(const std::string&) const { return {str_, str_}; }

  template <class T>
  void write_attr(hid_t obj, const std::string& where, const std::string& name, const T& value) {
    const std::string what = "writing attribute " + name + " of " + where;
    const auto [ftype, mtype] = types(value);
    Hid space(H5Screate(H5S_SCALAR), H5Sclose, what);
    Hid a(H5Acreate2(obj, name.c_str(), ftype, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose, what);
    if constexpr (std::is_same_v<T, std::string>) {
      const char* p = value.c_str();
      ok(H5Awrite(a, mtype, &p), what);
    } else {
      ok(H5Awrite(a, mtype, &value), what);
    }
  }

  template <class T>
  Hid write_dataset(hid_t parent, const std::string& where, const std::string& name, const std::vector<T>& v,
                    std::size_t width = 0) {
    const std::string what = "writing dataset " + where + "/" + name;
    const auto [ftype, mtype] = types(T{});
    const hsize_t dims[2] = {width ? v.size() / width : v.size(), width};
    Hid space(H5Screate_simple(width ? 2 : 1, dims, nullptr), H5Sclose, what);
    Hid d(H5Dcreate2(parent, name.c_str(), ftype, space, H5P_DEFAULT, dcpl_, H5P_DEFAULT), H5Dclose, what);
    if (v.empty()) return d;
    if constexpr (std::is_same_v<T, std::string>) {
      std::vector<const char*> ptrs;
      ptrs.reserve(v.size());
      for (const std::string& s : v) ptrs.push_back(s.c_str());
      ok(H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), what);
    } else {
      ok(H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), what);
    }
    return d;
  }

  hid_t file_;
  Hid str_, gcpl_, dcpl_, lcpl_;
};

void write_series(Writer& w, const std::string& group, const std::string& axis_name,
                  const std::vector<std::string>& axis, const std::vector<Series>& series) {
  Hid g = w.group("/" + group);
  w.axis(g, "/" + group, axis_name, axis);
  for (const Series& s : series) w.dataset(g, "/" + group, s.name, s.values, s.units, s.description);
}

void write_contents(hid_t file, const RunOutput& run) {
  Writer w(file);
  {
    Hid meta = w.group("/meta");
    for (const auto& [name, value] : run.meta) w.attr(meta, "/meta", name, value);
  }
  write_series(w, "daily", "date", run.daily_dates, run.daily);
  write_series(w, "monthly", "month", run.monthly_months, run.monthly);
  for (const Table& t : run.tables) {
    const std::string path = "/" + t.group;
    Hid g = w.group(path);
    w.attr(g, path, "description", t.description);
    for (const Column& c : t.columns) w.dataset(g, path, c.name, c.values, c.units, c.description, c.width);
  }
  Hid perf = w.group("/perf");
  for (const auto& [name, seconds] : run.perf_seconds) w.attr(perf, "/perf", name, seconds);
}

// HDF5 builds the file in memory (core driver, no backing store) and we write
// the bytes ourselves. In HDF5 1.10 a failed H5Fclose (disk full during the
// final flush) leaves a dangling file ID that crashes the process at exit
// (HDFFV-11052, fixed in 1.14.1); here HDF5 never touches the disk, and our
// own write() reports errno exactly. Outputs are a few MB, so memory is cheap.
std::vector<char> build_image(const RunOutput& run, const fs::path& path) {
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

void write_bytes(int fd, const std::vector<char>& bytes, const fs::path& tmp) {
  const auto fail = [&](const char* what) {
    const int err = errno;
    throw Failure(std::string(what) + " " + quoted(tmp) + " failed: " + std::strerror(err));
  };
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("writing");
    done += static_cast<std::size_t>(n);
  }
  // Some file systems (NFS, quotas) report a full disk only on fsync or close.
  if (::fsync(fd) != 0) fail("fsync of");
}

fs::path temp_path_for(const fs::path& path, std::string_view kind) {
  static std::atomic<unsigned long> counter{0};
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  return dir / ("." + path.filename().string() + "." + std::string(kind) + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++));
}

}  // namespace

void check_writable(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const auto fail = [&](const std::string& why) {
    throw OutputError("cannot write output file " + quoted(path) + ": " + why);
  };
  std::error_code ec;
  if (path.filename().empty()) fail("the path names a folder, not a file");
  if (!fs::exists(dir, ec)) fail("folder " + quoted(dir) + " does not exist");
  if (!fs::is_directory(dir, ec)) fail(quoted(dir) + " is not a folder");
  if (fs::is_directory(path, ec)) fail("it is an existing folder");
  const fs::path probe = temp_path_for(path, "probe");
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    fail("cannot create a file in folder " + quoted(dir) + ": " + std::strerror(err));
  }
  ::close(fd);
  fs::remove(probe, ec);
}

void write_hdf5(const RunOutput& run, const fs::path& path) {
  validate(run);
  const fs::path tmp = temp_path_for(path, "tmp");
  bool created = false;
  try {
    std::vector<char> image;
    {
      h5::QuietErrors quiet;
      errno = 0;
      image = build_image(run, path);
    }
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int err = errno;
      throw Failure("creating temporary file " + quoted(tmp) + " failed: " + std::strerror(err));
    }
    created = true;
    try {
      write_bytes(fd, image, tmp);
    } catch (...) {
      ::close(fd);
      throw;
    }
    if (::close(fd) != 0) {
      const int err = errno;
      throw Failure("closing " + quoted(tmp) + " failed: " + std::strerror(err));
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) throw Failure("renaming " + quoted(tmp) + " to it failed: " + ec.message());
  } catch (const std::exception& e) {
    std::error_code ec;
    if (created) fs::remove(tmp, ec);
    throw OutputError("cannot write output file " + quoted(path) + ": " + e.what());
  }
}

}  // namespace fraudsim::output
