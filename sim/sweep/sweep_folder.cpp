#include "sweep/sweep_folder.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "output/hdf5_files.hpp"
#include "output/safe_write.hpp"

namespace fraudsim::sweep {

namespace fs = std::filesystem;
using input::InputError;
using input::Origin;

namespace {

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw output::OutputError("cannot read " + quoted(path) + ": " + std::strerror(errno));
  return text.str();
}

// "line N: <this> here, <that> in the folder", for the first line that differs.
std::string first_difference(const std::string& ours, const std::string& theirs) {
  std::istringstream a(ours), b(theirs);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a)), more_b = static_cast<bool>(std::getline(b, line_b));
    if (!more_a && !more_b) return "";
    if (line_a != line_b || more_a != more_b)
      return "first difference at line " + std::to_string(line) + ": '" + (more_a ? line_a : "") + "' here, '" +
             (more_b ? line_b : "") + "' in the folder";
  }
}

void check_same_sweep(const fs::path& file, const std::string& ours) {
  const std::string theirs = read_text(file);
  if (theirs == ours) return;
  throw InputError(Origin{file.string(), 0, 0}, "", "",
                   "this folder holds a different sweep (" + first_difference(ours, theirs) +
                       "); the runs of two sweeps cannot share a folder: choose another output folder, or delete "
                       "this one to start over");
}

// The run index in "run-000123.h5" or in a temporary ".run-000123.h5.tmp-...", or -1.
std::int64_t index_in_name(std::string_view name) {
  if (name.starts_with(".")) name.remove_prefix(1);
  if (!name.starts_with("run-")) return -1;
  long long index = -1;
  return std::sscanf(std::string(name).c_str(), "run-%lld.h5", &index) == 1 ? index : -1;
}

}  // namespace

fs::path run_file(const fs::path& outdir, std::int64_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "run-%06lld.h5", static_cast<long long>(index));
  return outdir / "runs" / name;
}

void claim_folder(const fs::path& outdir, const Sweep& sweep) {
  std::error_code error;
  fs::create_directories(outdir / "runs", error);
  if (error)
    throw output::OutputError("cannot create the output folder " + quoted(outdir / "runs") + ": " + error.message());
  const std::string text = sweep.resolved_yaml();
  const fs::path file = outdir / "sweep.yaml";
  if (!output::create_file(file, text)) check_same_sweep(file, text);
}

FolderSweep read_folder_sweep(const fs::path& outdir) {
  const fs::path file = outdir / "sweep.yaml";
  std::error_code error;
  if (!fs::is_regular_file(file, error))
    throw InputError(Origin{outdir.string(), 0, 0}, "", "",
                     "not a sweep output folder: it has no sweep.yaml (fraudsim sweep writes it)");
  FolderSweep out;
  out.text = read_text(file);
  try {
    out.sweep = parse_resolved_sweep(out.text, file.string());
  } catch (const InputError& e) {  // most likely the folder of the sweep file, not its output folder
    throw InputError(e.origin(), e.key_path(), e.value(),
                     e.problem() + "; this sweep.yaml was not written by fraudsim sweep: is " + quoted(outdir) +
                         " the folder given to fraudsim sweep -o?");
  }
  return out;
}

std::string run_file_problem(const fs::path& file, const std::string& sweep_id, std::int64_t index) {
  std::optional<output::Attributes> meta;
  try {
    meta = output::read_meta(file);
  } catch (const output::h5::Error& e) {
    return e.what();
  }
  const std::string* id = meta ? output::find_attribute<std::string>(*meta, "sweep_id") : nullptr;
  const std::int64_t* run = meta ? output::find_attribute<std::int64_t>(*meta, "sweep_run") : nullptr;
  if (!id || !run) return "not a run of a sweep";
  if (*id != sweep_id) return "a run of another sweep (sweep id " + *id + ", this sweep's is " + sweep_id + ")";
  if (*run != index) return "holds run " + std::to_string(*run) + ", not run " + std::to_string(index);
  return "";
}

std::vector<std::int64_t> pending_runs(const fs::path& outdir, const std::string& sweep_id,
                                       const std::vector<std::int64_t>& indices, bool resume, std::ostream& log) {
  std::vector<std::int64_t> pending;
  std::vector<std::string> existing;
  for (const std::int64_t index : indices) {
    const fs::path file = run_file(outdir, index);
    std::error_code error;
    if (!fs::exists(file, error)) {
      pending.push_back(index);
    } else if (!resume) {
      existing.push_back(file.filename().string());
    } else if (const std::string problem = run_file_problem(file, sweep_id, index); !problem.empty()) {
      log << "redoing run " << index << " (" << file.string() << ": " << problem << ")\n";
      fs::remove(file, error);
      pending.push_back(index);
    }
  }
  if (!existing.empty()) {
    std::string names;
    for (std::size_t i = 0; i < existing.size() && i < 3; ++i) names += (i ? ", " : "") + existing[i];
    if (existing.size() > 3) names += ", ...";
    throw InputError(Origin{outdir.string(), 0, 0}, "", "",
                     "the folder already holds " + std::to_string(existing.size()) + " of these runs (" + names +
                         "): pass --resume to keep them and do the rest, or choose another output folder");
  }
  if (resume) {  // temporary files of a worker that was killed while writing
    const std::set<std::int64_t> mine(indices.begin(), indices.end());
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(outdir / "runs", error)) {
      const std::string name = entry.path().filename().string();
      if (name.front() == '.' && name.find(".tmp-") != std::string::npos && mine.count(index_in_name(name)))
        fs::remove(entry.path(), error);
    }
  }
  return pending;
}

}  // namespace fraudsim::sweep
