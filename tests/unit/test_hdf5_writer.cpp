#include <hdf5.h>
#include <sys/resource.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "engine/stop.hpp"
#include "output/hdf5_files.hpp"
#include "output/hdf5_writer.hpp"

namespace fs = std::filesystem;
using namespace fraudsim::output;

namespace {

// A fresh folder per test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "fraudsim-h5w-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(path)) out.push_back(e.path().filename().string());
    return out;
  }
};

RunOutput sample_run() {
  RunOutput run;
  run.meta = {{"version", std::string("0.1.0")},
              {"scenario", std::string("name: baseline\nnote: Überweisung €\n")},
              {"seed", std::int64_t{42}},
              {"scale", 0.25}};
  run.daily_dates = {"2024-01-01", "2024-01-02", "2024-01-03"};
  run.daily = {{"calls", "calls/day", "scam calls placed", std::vector<std::int64_t>{10, -2, 9000000000LL},
                Kind::flow, true},
               {"losses", "EUR/day", "money lost", std::vector<double>{0.5, 1e300, -3.25}, Kind::stock, false}};
  run.monthly_months = {"2024-01", "2024-02"};
  run.monthly = {{"registered_cases", "cases/month", "cases registered by police", std::vector<std::int64_t>{7, 8}}};
  run.tables = {{"interventions",
                 "interventions of the scenario",
                 {{"name", "", "label", std::vector<std::string>{"SIM registration", "Call blocking", ""}},
                  {"start", "", "first day", std::vector<std::string>{"2024-01-01", "2024-02-01", "2024-03-01"}},
                  {"budget", "EUR", "yearly budget", std::vector<double>{1.5, 2.5, 0.0}},
                  {"enabled", "", "1 if active", std::vector<std::int64_t>{1, 0, 1}}}},
                {"compounds/info", "nested group", {{"n", "1", "count", std::vector<std::int64_t>{}}}}};
  run.perf_seconds = {{"total", 1.234}};
  return run;
}

// -- reading back through the C API -----------------------------------------

struct H {
  hid_t id;
  herr_t (*close)(hid_t);
  H(hid_t i, herr_t (*c)(hid_t)) : id(i), close(c) { REQUIRE(id >= 0); }
  ~H() { close(id); }
  operator hid_t() const { return id; }
};

bool is_vlen_utf8(hid_t type) { return H5Tis_variable_str(type) > 0 && H5Tget_cset(type) == H5T_CSET_UTF8; }

std::string read_str_attr(hid_t obj, const char* name) {
  H a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  H t(H5Aget_type(a), H5Tclose);
  CHECK(is_vlen_utf8(t));
  char* p = nullptr;
  REQUIRE(H5Aread(a, t, &p) >= 0);
  std::string s = p ? p : "";
  H5free_memory(p);
  return s;
}

template <class T>
T read_num_attr(hid_t obj, const char* name, hid_t mtype, H5T_class_t cls) {
  H a(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose);
  H t(H5Aget_type(a), H5Tclose);
  CHECK(H5Tget_class(t) == cls);
  T v{};
  REQUIRE(H5Aread(a, mtype, &v) >= 0);
  return v;
}

std::vector<std::string> read_strings(hid_t file, const char* path) {
  H d(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
  H t(H5Dget_type(d), H5Tclose);
  CHECK(is_vlen_utf8(t));
  H s(H5Dget_space(d), H5Sclose);
  std::vector<char*> ptrs(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
  if (ptrs.empty()) return {};
  REQUIRE(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) >= 0);
  std::vector<std::string> out(ptrs.begin(), ptrs.end());
  H5Dvlen_reclaim(t, s, H5P_DEFAULT, ptrs.data());
  return out;
}

template <class T>
std::vector<T> read_numbers(hid_t file, const char* path, hid_t mtype, hid_t expected_ftype) {
  H d(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
  H t(H5Dget_type(d), H5Tclose);
  CHECK(H5Tequal(t, expected_ftype) > 0);
  H s(H5Dget_space(d), H5Sclose);
  CHECK(H5Sget_simple_extent_ndims(s) == 1);
  std::vector<T> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
  if (!v.empty()) REQUIRE(H5Dread(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0);
  return v;
}

std::string dataset_attr(hid_t file, const char* path, const char* name) {
  H d(H5Dopen2(file, path, H5P_DEFAULT), H5Dclose);
  return read_str_attr(d, name);
}

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("write_hdf5 writes the documented layout", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "run.h5";
  write_hdf5(sample_run(), out);
  CHECK(dir.entries() == std::vector<std::string>{"run.h5"});

  H f(H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  {
    H meta(H5Gopen2(f, "/meta", H5P_DEFAULT), H5Gclose);
    CHECK(read_str_attr(meta, "version") == "0.1.0");
    CHECK(read_str_attr(meta, "scenario") == "name: baseline\nnote: Überweisung €\n");
    CHECK(read_num_attr<std::int64_t>(meta, "seed", H5T_NATIVE_INT64, H5T_INTEGER) == 42);
    CHECK(read_num_attr<double>(meta, "scale", H5T_NATIVE_DOUBLE, H5T_FLOAT) == 0.25);
  }
  CHECK(read_strings(f, "/daily/date") == std::vector<std::string>{"2024-01-01", "2024-01-02", "2024-01-03"});
  CHECK(read_strings(f, "/monthly/month") == std::vector<std::string>{"2024-01", "2024-02"});
  CHECK(read_numbers<std::int64_t>(f, "/daily/calls", H5T_NATIVE_INT64, H5T_STD_I64LE) ==
        std::vector<std::int64_t>{10, -2, 9000000000LL});
  CHECK(read_numbers<double>(f, "/daily/losses", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) ==
        std::vector<double>{0.5, 1e300, -3.25});
  CHECK(dataset_attr(f, "/daily/losses", "units") == "EUR/day");
  CHECK(dataset_attr(f, "/daily/losses", "description") == "money lost");
  CHECK(read_numbers<std::int64_t>(f, "/monthly/registered_cases", H5T_NATIVE_INT64, H5T_STD_I64LE) ==
        std::vector<std::int64_t>{7, 8});
  CHECK(dataset_attr(f, "/monthly/registered_cases", "units") == "cases/month");
  {
    H calls(H5Dopen2(f, "/daily/calls", H5P_DEFAULT), H5Dclose), losses(H5Dopen2(f, "/daily/losses", H5P_DEFAULT), H5Dclose);
    CHECK(read_str_attr(calls, "kind") == "flow");
    CHECK(read_num_attr<std::int64_t>(calls, "scaled", H5T_NATIVE_INT64, H5T_INTEGER) == 1);
    CHECK(read_str_attr(losses, "kind") == "stock");
    CHECK(read_num_attr<std::int64_t>(losses, "scaled", H5T_NATIVE_INT64, H5T_INTEGER) == 0);
  }
  CHECK(!dataset_attr(f, "/daily/date", "description").empty());
  CHECK(!dataset_attr(f, "/monthly/month", "description").empty());

  {
    H g(H5Gopen2(f, "/interventions", H5P_DEFAULT), H5Gclose);
    CHECK(read_str_attr(g, "description") == "interventions of the scenario");
  }
  CHECK(read_strings(f, "/interventions/name") == std::vector<std::string>{"SIM registration", "Call blocking", ""});
  CHECK(dataset_attr(f, "/interventions/name", "units").empty());
  CHECK(dataset_attr(f, "/interventions/name", "description") == "label");
  CHECK(read_numbers<double>(f, "/interventions/budget", H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) ==
        std::vector<double>{1.5, 2.5, 0.0});
  CHECK(dataset_attr(f, "/interventions/budget", "units") == "EUR");
  CHECK(read_numbers<std::int64_t>(f, "/interventions/enabled", H5T_NATIVE_INT64, H5T_STD_I64LE) ==
        std::vector<std::int64_t>{1, 0, 1});
  CHECK(read_numbers<std::int64_t>(f, "/compounds/info/n", H5T_NATIVE_INT64, H5T_STD_I64LE).empty());
  {
    H perf(H5Gopen2(f, "/perf", H5P_DEFAULT), H5Gclose);
    CHECK(read_num_attr<double>(perf, "total", H5T_NATIVE_DOUBLE, H5T_FLOAT) == 1.234);
  }
}

TEST_CASE("write_hdf5 replaces an existing file", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "run.h5";
  std::ofstream(out) << "old contents";
  write_hdf5(sample_run(), out);
  CHECK(H5Fis_hdf5(out.c_str()) > 0);
  CHECK(dir.entries().size() == 1);
}

TEST_CASE("write_hdf5 into a missing folder throws OutputError and leaves nothing", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "missing" / "run.h5";
  try {
    write_hdf5(sample_run(), out);
    FAIL("no exception");
  } catch (const OutputError& e) {
    CHECK_THAT(e.what(), Catch::Contains(out.string()));
    CHECK_THAT(e.what(), Catch::Contains("No such file or directory"));
  }
  CHECK(dir.entries().empty());
}

TEST_CASE("write_hdf5 reports a file-size limit (EFBIG) and removes the temporary file", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "big.h5";
  RunOutput run = sample_run();
  run.daily_dates.assign(200000, "2024-01-01");
  for (Series& s : run.daily) s.values = std::vector<double>(run.daily_dates.size(), 1.0);

  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  rlimit small = old;
  small.rlim_cur = 64 * 1024;
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);  // get EFBIG instead of being killed
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  std::string message;
  try {
    write_hdf5(run, out);
  } catch (const OutputError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);

  CHECK_THAT(message, Catch::Contains(out.string()));
  CHECK_THAT(message, Catch::Contains(std::strerror(EFBIG)));
  CHECK(dir.entries().empty());
}

TEST_CASE("write_hdf5 rejects inconsistent lengths as a programming error", "[hdf5]") {
  TempDir dir;
  RunOutput run = sample_run();
  run.monthly[0].values = std::vector<std::int64_t>{1, 2, 3};
  CHECK_THROWS_AS(write_hdf5(run, dir.path / "a.h5"), std::logic_error);
  run = sample_run();
  std::get<std::vector<double>>(run.tables[0].columns[2].values).pop_back();
  CHECK_THROWS_WITH(write_hdf5(run, dir.path / "b.h5"), Catch::Contains("/interventions/budget"));
  run = sample_run();
  run.daily.push_back(run.daily[0]);
  CHECK_THROWS_WITH(write_hdf5(run, dir.path / "c.h5"), Catch::Contains("duplicate name 'calls'"));
  CHECK(dir.entries().empty());
}

TEST_CASE("identical runs give byte-identical files", "[hdf5]") {
  TempDir dir;
  RunOutput run = sample_run();
  run.perf_seconds.clear();
  write_hdf5(run, dir.path / "a.h5");
  // Past a one-second boundary, so stored modification times would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_hdf5(run, dir.path / "b.h5");
  const std::string a = file_bytes(dir.path / "a.h5"), b = file_bytes(dir.path / "b.h5");
  CHECK(!a.empty());
  CHECK(a == b);
}

TEST_CASE("check_writable", "[hdf5]") {
  TempDir dir;
  CHECK_NOTHROW(check_writable(dir.path / "run.h5"));
  CHECK(dir.entries().empty());  // the probe file is gone

  const fs::path missing = dir.path / "nope" / "run.h5";
  CHECK_THROWS_WITH(check_writable(missing),
                    Catch::Contains(missing.string()) && Catch::Contains("does not exist"));

  fs::create_directory(dir.path / "sub");
  CHECK_THROWS_AS(check_writable(dir.path / "sub"), OutputError);
  CHECK_THROWS_WITH(check_writable(dir.path / "sub"), Catch::Contains((dir.path / "sub").string()));

  std::ofstream(dir.path / "file") << "x";
  CHECK_THROWS_WITH(check_writable(dir.path / "file" / "run.h5"), Catch::Contains("not a folder"));
}

TEST_CASE("read_meta and read_datasets read back what write_hdf5 wrote", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "run.h5";
  write_hdf5(sample_run(), out);
  const auto meta = read_meta(out);
  REQUIRE(meta);
  CHECK(*find_attribute<std::string>(*meta, "version") == "0.1.0");
  CHECK(*find_attribute<std::int64_t>(*meta, "seed") == 42);
  CHECK(*find_attribute<double>(*meta, "scale") == 0.25);
  CHECK(find_attribute<std::string>(*meta, "seed") == nullptr);
  const auto datasets = read_datasets(out);
  CHECK(datasets.contains("/daily/calls"));
  CHECK(datasets.contains("/interventions/name"));
  CHECK(datasets.at("/monthly/month") == std::string("2024-01\0" "2024-02\0", 16));

  std::ofstream(dir.path / "not.h5") << "not HDF5";
  CHECK_THROWS_AS(read_meta(dir.path / "not.h5"), h5::Error);
}

TEST_CASE("write_file leaves nothing when its content fails", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "out.yaml";
  CHECK_THROWS_WITH(write_file(out,
                               [](const fs::path& temporary) {
                                 std::ofstream(temporary) << "half";
                                 throw std::runtime_error("content failed");
                               }),
                    "content failed");
  CHECK(dir.entries().empty());
  write_file(out, "a: 1\n");
  CHECK(file_bytes(out) == "a: 1\n");
  CHECK(dir.entries() == std::vector<std::string>{"out.yaml"});
}

TEST_CASE("write_file removes its output when a stop was requested while writing", "[hdf5]") {
  TempDir dir;
  fraudsim::engine::request_stop(SIGTERM);
  CHECK_THROWS_AS(write_file(dir.path / "out.yaml", "a: 1\n"), fraudsim::engine::Stopped);
  CHECK_THROWS_AS(write_hdf5(sample_run(), dir.path / "run.h5"), fraudsim::engine::Stopped);
  fraudsim::engine::request_stop(0);
  CHECK(dir.entries().empty());
}

TEST_CASE("create_file creates a file once", "[hdf5]") {
  TempDir dir;
  const fs::path out = dir.path / "sweep.yaml";
  CHECK(create_file(out, "first\n"));
  CHECK_FALSE(create_file(out, "second\n"));
  CHECK(file_bytes(out) == "first\n");
  CHECK(dir.entries() == std::vector<std::string>{"sweep.yaml"});
}
