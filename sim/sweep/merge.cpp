#include "sweep/merge.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "output/hdf5_files.hpp"
#include "output/provenance.hpp"
#include "output/safe_write.hpp"
#include "sweep/sweep_folder.hpp"

namespace fraudsim::sweep {

namespace fs = std::filesystem;
using input::InputError;
using input::Origin;
namespace h5 = output::h5;

namespace {

constexpr std::int64_t block_runs = 256;  // runs read before their rows are written: bounds memory

std::string some(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 10; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 10) out += ", and " + std::to_string(names.size() - 10) + " more";
  return out;
}

// Every run present, and every run file this sweep's; otherwise one message naming them all.
void check_runs(const fs::path& outdir, const Sweep& sweep, const std::string& id) {
  std::vector<std::string> missing, foreign;
  for (std::int64_t index = 0; index < sweep.num_runs(); ++index) {
    const fs::path file = run_file(outdir, index);
    std::error_code error;
    if (!fs::exists(file, error))
      missing.push_back(file.filename().string());
    else if (const std::string problem = run_file_problem(file, id, index); !problem.empty())
      foreign.push_back(file.filename().string() + " (" + problem + ")");
  }
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(outdir / "runs", error)) {
    const std::string name = entry.path().filename().string();
    long long index = -1;
    if (std::sscanf(name.c_str(), "run-%lld.h5", &index) == 1 && index >= sweep.num_runs())
      foreign.push_back(name + " (this sweep has runs 0 to " + std::to_string(sweep.num_runs() - 1) + ")");
  }
  if (missing.empty() && foreign.empty()) return;
  std::string problem = "cannot merge";
  if (!missing.empty())
    problem += ": " + std::to_string(missing.size()) + " of " + std::to_string(sweep.num_runs()) +
               " runs missing: " + some(missing) + " (run the sweep again with --resume to do them)";
  if (!foreign.empty())
    problem += std::string(missing.empty() ? ": " : "; ") + std::to_string(foreign.size()) +
               " run files not of this sweep: " + some(foreign) + " (delete them, then run the sweep with --resume)";
  throw InputError(Origin{(outdir / "runs").string(), 0, 0}, "", "", problem);
}

// A monthly series as run 0 has it; kind and scaled are absent from the
// files of builds that did not write them, and then from the merged file.
struct SeriesInfo {
  std::string name, units, description;
  std::optional<output::MetaValue> kind, scaled;
  bool integers = true;
};

std::string text_attribute(const output::Attributes& attributes, const std::string& name) {
  const std::string* text = output::find_attribute<std::string>(attributes, name);
  if (!text) throw h5::Error("reading attribute " + name + " failed (missing, or not text)");
  return *text;
}

std::optional<output::MetaValue> optional_attribute(const output::Attributes& attributes, const std::string& name) {
  const auto found = attributes.find(name);
  return found == attributes.end() ? std::nullopt : std::optional(found->second);
}

// One run's monthly series, in the order of `series`.
std::vector<h5::Numbers> read_monthly(const h5::Reader& file, const fs::path& path,
                                      const std::vector<std::string>& months, const std::vector<SeriesInfo>& series) {
  const auto refuse = [&](const std::string& problem) {
    throw InputError(Origin{path.string(), 0, 0}, "", "", "cannot merge: " + problem);
  };
  if (file.text("/monthly/month") != months) refuse("its months differ from run 0's");
  std::vector<std::string> names = file.members("/monthly");
  names.erase(std::remove(names.begin(), names.end(), "month"), names.end());
  if (names.size() != series.size()) refuse("its monthly series differ from run 0's");
  std::vector<h5::Numbers> values;
  for (std::size_t s = 0; s < series.size(); ++s) {
    if (names[s] != series[s].name) refuse("its monthly series differ from run 0's");
    values.push_back(file.numbers("/monthly/" + series[s].name));
    if (values.back().index() != (series[s].integers ? 0u : 1u) ||
        std::visit([](const auto& v) { return v.size(); }, values.back()) != months.size())
      refuse("its series " + series[s].name + " differs in type or length from run 0's");
  }
  return values;
}

// A Morris design's trajectories: which factor each point moved, and by how much.
void write_morris_columns(h5::NewFile& out, const Sweep& sweep, const std::vector<std::int64_t>& point) {
  const std::size_t n = point.size();
  std::vector<std::int64_t> trajectory(n), factor(n);
  std::vector<double> step(n);
  for (std::size_t i = 0; i < n; ++i) {
    const DesignPoint& p = sweep.points[static_cast<std::size_t>(point[i])];
    trajectory[i] = p.morris_trajectory;
    factor[i] = p.morris_factor;
    step[i] = p.morris_step;
  }
  out.column("/design/morris_trajectory", trajectory, "", "Morris trajectory of the point");
  out.column("/design/morris_factor", factor, "",
             "the factor (index in `factors`) moved from the trajectory's previous point; -1 at its start");
  out.column("/design/morris_step", step, "",
             "that move as a fraction of the factor's range (+delta or -delta); 0 at a trajectory's start");
}

void write_design(h5::NewFile& out, const Sweep& sweep) {
  const std::string design = "/design";
  out.group(design);
  const std::int64_t n = sweep.num_runs();
  std::vector<std::int64_t> run(n), point(n), replicate(n), seed(n);
  for (std::int64_t i = 0; i < n; ++i) {
    const RunPlan plan = sweep.run(i);
    run[i] = i;
    point[i] = plan.point;
    replicate[i] = plan.replicate;
    seed[i] = static_cast<std::int64_t>(plan.seed);
  }
  out.column(design + "/run", run, "", "run index: row of every /monthly dataset");
  out.column(design + "/point", point, "", "design point (run / replicates)");
  out.column(design + "/replicate", replicate, "", "replicate of the design point (run % replicates)");
  out.column(design + "/seed", seed, "", "the run's seed (fraudsim run --seed reproduces the run)");
  h5::Text factor_names;
  for (std::size_t f = 0; f < sweep.factors.size(); ++f) {
    const Factor& factor = sweep.factors[f];
    factor_names.push_back(factor.path);
    std::vector<double> numbers;
    h5::Text texts;
    for (std::int64_t i = 0; i < n; ++i) {
      const std::string& text = sweep.points[static_cast<std::size_t>(point[i])].overrides[f].value;
      if (factor.numeric)
        numbers.push_back(numeric_value(text));
      else
        texts.push_back(text_value(text));
    }
    const std::string description = "value of the scenario key " + factor.path;
    if (factor.numeric)
      out.column(design + "/" + factor.path, numbers, "", description);
    else
      out.column(design + "/" + factor.path, texts, "", description);
  }
  out.attribute(design, "factors", factor_names);
  if (sweep.design == "variants") {
    h5::Text variant;
    for (std::int64_t i = 0; i < n; ++i) variant.push_back(sweep.points[static_cast<std::size_t>(point[i])].variant);
    out.column(design + "/variant", variant, "", "name of the variant (set of overrides) the run used");
  }
  if (sweep.design == "saltelli") {
    h5::Text block;
    std::vector<std::int64_t> factor(n), sample(n);
    for (std::int64_t i = 0; i < n; ++i) {
      const DesignPoint& p = sweep.points[static_cast<std::size_t>(point[i])];
      block.push_back(p.saltelli_block);
      factor[i] = p.saltelli_factor;
      sample[i] = p.saltelli_sample;
    }
    out.column(design + "/saltelli_block", block, "", "Saltelli matrix of the row: A, B or AB");
    out.column(design + "/saltelli_factor", factor, "",
               "for AB rows, the factor (index in `factors`) taken from B; -1 otherwise");
    out.column(design + "/saltelli_sample", sample, "", "base sample j (row of A and B)");
  }
  if (sweep.design == "morris") write_morris_columns(out, sweep, point);
}

// The versions and commits of the builds that wrote the runs, each once.
struct Provenance {
  std::vector<std::string> versions, commits;
};

// /monthly: every run's series as the rows of [run, month] datasets.
Provenance write_monthly(h5::NewFile& out, const fs::path& outdir, const Sweep& sweep,
                         const std::vector<std::string>& months, const std::vector<SeriesInfo>& series) {
  const auto n = static_cast<std::uint64_t>(sweep.num_runs()), m = static_cast<std::uint64_t>(months.size());
  out.group("/monthly");
  out.column("/monthly/month", months, "month",
             "the simulated months, YYYY-MM: the column index of every [run, month] /monthly series");
  for (const SeriesInfo& s : series) {
    const std::string path = "/monthly/" + s.name;
    out.matrix(path, s.integers, n, m);
    out.attribute(path, "units", s.units);
    out.attribute(path, "description", s.description + "; one row per run");
    if (s.kind) out.attribute(path, "kind", *s.kind);
    if (s.scaled) out.attribute(path, "scaled", *s.scaled);
  }
  Provenance provenance;
  for (std::int64_t first_run = 0; first_run < sweep.num_runs(); first_run += block_runs) {
    const std::int64_t runs = std::min(block_runs, sweep.num_runs() - first_run);
    std::vector<std::vector<std::int64_t>> integers(series.size());
    std::vector<std::vector<double>> reals(series.size());
    for (std::int64_t r = first_run; r < first_run + runs; ++r) {
      engine::throw_if_stopped();
      const fs::path path = run_file(outdir, r);
      try {
        const h5::Reader file(path);
        const auto meta = file.attributes("/meta");
        for (auto [key, found] : {std::pair{"version", &provenance.versions}, std::pair{"git_commit", &provenance.commits}}) {
          const std::string value = text_attribute(meta, key);
          if (std::find(found->begin(), found->end(), value) == found->end()) found->push_back(value);
        }
        std::vector<h5::Numbers> values = read_monthly(file, path, months, series);
        for (std::size_t s = 0; s < series.size(); ++s) {
          if (series[s].integers) {
            const auto& v = std::get<0>(values[s]);
            integers[s].insert(integers[s].end(), v.begin(), v.end());
          } else {
            const auto& v = std::get<1>(values[s]);
            reals[s].insert(reals[s].end(), v.begin(), v.end());
          }
        }
      } catch (const h5::Error& e) {
        throw h5::Error(path.string() + ": " + e.what());
      }
    }
    for (std::size_t s = 0; s < series.size(); ++s)
      out.write_rows("/monthly/" + series[s].name, series[s].integers, static_cast<std::uint64_t>(first_run),
                     static_cast<std::uint64_t>(runs), m,
                     series[s].integers ? static_cast<const void*>(integers[s].data()) : reals[s].data());
  }
  return provenance;
}

void write_meta(h5::NewFile& out, const FolderSweep& folder, const std::string& id, const Provenance& provenance) {
  const Sweep& sweep = folder.sweep;
  const auto joined = [](const std::vector<std::string>& values) {
    std::string text;
    for (const std::string& value : values) text += (text.empty() ? "" : ", ") + value;
    return text;
  };
  out.group("/meta");
  const std::vector<std::pair<std::string, output::MetaValue>> meta = {
      {"version", joined(provenance.versions)},  // of the runs; several if builds were mixed
      {"git_commit", joined(provenance.commits)},
      {"sweep", folder.text},
      {"design", sweep.design},
      {"n_runs", sweep.num_runs()},
      {"n_points", static_cast<std::int64_t>(sweep.points.size())},
      {"replicates", sweep.replicates},
      {"seed", static_cast<std::int64_t>(sweep.seed)},
      {"common_random_numbers", static_cast<std::int64_t>(sweep.common_random_numbers)},
      {"sweep_id", id}};
  for (const auto& [name, value] : meta) out.attribute("/meta", name, value);
  for (const auto& [name, value] : output::provenance_meta()) out.attribute("/meta", name, value);
}

}  // namespace

MergeSummary merge_sweep(const fs::path& outdir, const fs::path& output) {
  const FolderSweep folder = read_folder_sweep(outdir);
  const Sweep& sweep = folder.sweep;
  const std::string id = sweep_id(folder.text);
  check_runs(outdir, sweep, id);
  output::check_writable(output);

  try {
    // Run 0 gives the months and the series every other run must have.
    std::vector<std::string> months;
    std::vector<SeriesInfo> series;
    {
      const h5::Reader first(run_file(outdir, 0));
      months = first.text("/monthly/month");
      for (const std::string& name : first.members("/monthly")) {
        if (name == "month") continue;
        const std::string path = "/monthly/" + name;
        const auto attributes = first.attributes(path);
        series.push_back({name, text_attribute(attributes, "units"), text_attribute(attributes, "description"),
                          optional_attribute(attributes, "kind"), optional_attribute(attributes, "scaled"),
                          first.numbers(path).index() == 0});
      }
    }

    output::write_file(
        output,
        [&](const fs::path& temporary) {
          h5::NewFile out(temporary);
          write_design(out, sweep);
          const Provenance provenance = write_monthly(out, outdir, sweep, months, series);
          write_meta(out, folder, id, provenance);
          out.close();
        },
        "cannot merge into");
    return MergeSummary{sweep.num_runs(), series.size(), months.size()};
  } catch (const h5::Error& e) {
    throw output::OutputError("cannot merge into '" + output.string() + "': " + e.what());
  }
}

}  // namespace fraudsim::sweep
