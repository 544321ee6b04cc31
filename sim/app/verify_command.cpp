// fraudsim verify FILE.h5: re-runs the resolved scenario and seed stored in
// a run file and reports, dataset by dataset, whether the result is
// bit-identical. It re-runs rather than checks a checksum, so a changed seed
// or scenario in the file shows up as a difference.
#include "app/verify_command.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include "app/cli_checks.hpp"
#include "engine/parallel.hpp"
#include "engine/stop.hpp"
#include "fraudsim/version.hpp"
#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "run/run.hpp"
#include "input/input_error.hpp"
#include "sweep/hdf5_io.hpp"

namespace fraudsim::app {

namespace {

namespace h5 = sweep::h5;

// Every dataset of a file outside /perf, as its raw values: numbers as
// bytes in their native type, strings as text. Equal means bit-identical.
std::map<std::string, std::string> datasets(const std::filesystem::path& path) {
  h5::Hid file = h5::open_read_only(path);
  std::vector<std::string> names;
  auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* out) -> herr_t {
    if (info->type == H5O_TYPE_DATASET && std::strncmp(name, "perf", 4) != 0)
      static_cast<std::vector<std::string>*>(out)->push_back(name);
    return 0;
  };
  h5::ok(H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, visit, &names), "listing datasets");
  std::map<std::string, std::string> out;
  for (const std::string& name : names) {
    h5::Hid dataset(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose, "opening " + name);
    h5::Hid space(H5Dget_space(dataset), H5Sclose, "reading " + name);
    h5::Hid type(H5Dget_type(dataset), H5Tclose, "reading " + name);
    const auto count = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::string bytes;
    if (H5Tget_class(type) == H5T_STRING) {
      h5::Hid text(H5Tcopy(H5T_C_S1), H5Tclose, "string type");
      H5Tset_size(text, H5T_VARIABLE);
      H5Tset_cset(text, H5T_CSET_UTF8);
      std::vector<char*> values(count, nullptr);
      if (count) h5::ok(H5Dread(dataset, text, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), "reading " + name);
      for (char* value : values) {
        bytes += value ? value : "";
        bytes.push_back('\0');
      }
      if (count) H5Dvlen_reclaim(text, space, H5P_DEFAULT, values.data());
    } else {
      const bool integers = H5Tget_class(type) == H5T_INTEGER;
      bytes.resize(count * 8);
      if (count)
        h5::ok(H5Dread(dataset, integers ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()),
               "reading " + name);
    }
    out["/" + name] = std::move(bytes);
  }
  return out;
}

int verify(const std::string& path, int threads) {
  if (!std::filesystem::is_regular_file(path))
    throw input::InputError({path, 0, 0}, "", "", "no such file");
  std::string version, commit, scenario_text;
  std::int64_t seed = 0, transactions = 0;
  {
    h5::QuietErrors quiet;
    std::unique_ptr<h5::Hid> file;
    try {
      file = std::make_unique<h5::Hid>(h5::open_read_only(path));
    } catch (const h5::Error&) {
      throw input::InputError({path, 0, 0}, "", "", "not an HDF5 file, or a damaged one");
    }
    if (H5Lexists(*file, "meta", H5P_DEFAULT) <= 0)
      throw input::InputError({path, 0, 0}, "", "", "not a fraudsim run file (no /meta)");
    h5::Hid meta(H5Gopen2(*file, "meta", H5P_DEFAULT), H5Gclose, "opening /meta");
    for (const char* key : {"version", "git_commit", "scenario", "seed"})
      if (!h5::has_attribute(meta, key))
        throw input::InputError({path, 0, 0}, std::string("/meta/") + key, "", "missing: not a fraudsim run file");
    version = h5::string_attribute(meta, "version");
    commit = h5::string_attribute(meta, "git_commit");
    scenario_text = h5::string_attribute(meta, "scenario");
    seed = h5::integer_attribute(meta, "seed");
    if (h5::has_attribute(meta, "transactions")) transactions = h5::integer_attribute(meta, "transactions");
  }
  if (version != build::version || commit != build::git_commit)
    std::printf("note: the file was written by fraudsim %s (%s); this is %s (%s)\n", version.c_str(), commit.c_str(),
                build::version, build::git_commit);

  const scenario::Scenario scenario = scenario::load_scenario_text(scenario_text, path + ":/meta/scenario");
  const engine::ThreadLimit limit(threads);
  const run::FinishedRun finished =
      run::run_scenario(scenario, {.seed = static_cast<std::uint64_t>(seed), .record_transactions = transactions != 0});
  const std::filesystem::path again =
      std::filesystem::temp_directory_path() / ("fraudsim-verify-" + std::to_string(::getpid()) + ".h5");
  struct Remove {
    std::filesystem::path p;
    ~Remove() { std::filesystem::remove(p); }
  } cleanup{again};
  run::RunInfo info{static_cast<std::uint64_t>(seed), threads, 0.0};
  output::write_hdf5(run::make_output(scenario, *finished.simulation, info), again);

  const auto stored = datasets(path), rerun = datasets(again);
  int differing = 0;
  for (const auto& [name, bytes] : rerun) {
    const auto found = stored.find(name);
    const char* verdict = found == stored.end() ? "MISSING from the file" : found->second == bytes ? "identical" : "DIFFERS";
    if (found == stored.end() || found->second != bytes) ++differing;
    std::printf("%-44s %s\n", name.c_str(), verdict);
  }
  for (const auto& [name, bytes] : stored)
    if (!rerun.contains(name)) {
      ++differing;
      std::printf("%-44s %s\n", name.c_str(), "DIFFERS: not produced by the re-run");
    }
  if (differing) {
    std::printf("\n%d dataset(s) differ: the file is not what its scenario and seed give\n", differing);
    return 1;
  }
  std::printf("\nall %zu datasets are bit-identical to a re-run of the stored scenario and seed %lld\n", rerun.size(),
              static_cast<long long>(seed));
  return 0;
}

}  // namespace

void add_verify_command(CLI::App& app, std::function<int()>& command) {
  auto path = std::make_shared<std::string>();
  auto threads = std::make_shared<int>(0);
  CLI::App* sub = app.add_subcommand("verify", "re-run the scenario and seed stored in a run file and compare every dataset");
  sub->add_option("file", *path, "run file (HDF5) written by fraudsim run")->required();
  sub->add_option("--threads", *threads, "worker threads (default: all cores); results do not depend on it")
      ->check(whole_number());
  sub->callback([&command, sub, path, threads] {
    if (sub->parsed()) command = [path, threads] { return verify(*path, *threads); };
  });
}

}  // namespace fraudsim::app
