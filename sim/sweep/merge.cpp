#include "sweep/merge.hpp"

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "output/hdf5_writer.hpp"
#include "sweep/hdf5_io.hpp"
#include "sweep/sweep_folder.hpp"

namespace fraudsim::sweep {

namespace fs = std::filesystem;
using input::InputError;
using input::Origin;

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

struct SeriesInfo {
  std::string name, units, description;
  bool integers = true;
};

// One run's monthly series, in the order of `series`.
std::vector<h5::Numbers> read_monthly(hid_t file, const fs::path& path, const std::vector<std::string>& months,
                                      const std::vector<SeriesInfo>& series) {
  const auto refuse = [&](const std::string& problem) {
    throw InputError(Origin{path.string(), 0, 0}, "", "", "cannot merge: " + problem);
  };
  if (h5::read_text(file, "/monthly/month") != months) refuse("its months differ from run 0's");
  std::vector<std::string> names = h5::member_names(file, "/monthly");
  names.erase(std::remove(names.begin(), names.end(), "month"), names.end());
  if (names.size() != series.size()) refuse("its monthly series differ from run 0's");
  std::vector<h5::Numbers> values;
  for (std::size_t s = 0; s < series.size(); ++s) {
    if (names[s] != series[s].name) refuse("its monthly series differ from run 0's");
    values.push_back(h5::read_numbers(file, "/monthly/" + series[s].name));
    if (values.back().index() != (series[s].integers ? 0u : 1u) ||
        std::visit([](const auto& v) { return v.size(); }, values.back()) != months.size())
      refuse("its series " + series[s].name + " differs in type or length from run 0's");
  }
  return values;
}

void write_design(h5::NewFile& out, const Sweep& sweep) {
  h5::Hid design = out.group("/design");
  const std::int64_t n = sweep.num_runs();
  std::vector<std::int64_t> run(n), point(n), replicate(n), seed(n);
  for (std::int64_t i = 0; i < n; ++i) {
    const RunPlan plan = sweep.run(i);
    run[i] = i;
    point[i] = plan.point;
    replicate[i] = plan.replicate;
    seed[i] = static_cast<std::int64_t>(plan.seed);
  }
  out.column(design, "run", run, "", "run index: row of every /monthly dataset");
  out.column(design, "point", point, "", "design point (run / replicates)");
  out.column(design, "replicate", replicate, "", "replicate of the design point (run % replicates)");
  out.column(design, "seed", seed, "", "the run's seed (fraudsim run --seed reproduces the run)");
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
      out.column(design, factor.path, numbers, "", description);
    else
      out.column(design, factor.path, texts, "", description);
  }
  out.attribute(design, "factors", factor_names);
  if (sweep.design == "variants") {
    h5::Text variant;
    for (std::int64_t i = 0; i < n; ++i) variant.push_back(sweep.points[static_cast<std::size_t>(point[i])].variant);
    out.column(design, "variant", variant, "", "name of the variant (set of overrides) the run used");
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
    out.column(design, "saltelli_block", block, "", "Saltelli matrix of the row: A, B or AB");
    out.column(design, "saltelli_factor", factor, "",
               "for AB rows, the factor (index in `factors`) taken from B; -1 otherwise");
    out.column(design, "saltelli_sample", sample, "", "base sample j (row of A and B)");
  }
}

}  // namespace

MergeSummary merge_sweep(const fs::path& outdir, const fs::path& output) {
  using engine::throw_if_stopped;
  const FolderSweep folder = read_folder_sweep(outdir);
  const Sweep& sweep = folder.sweep;
  const std::string id = sweep_id(folder.text);
  check_runs(outdir, sweep, id);
  output::check_writable(output);

  const std::lock_guard<std::mutex> hold(h5::lock());
  const h5::QuietErrors quiet;
  const auto fail = [&](const std::exception& e) {
    return output::OutputError("cannot merge into '" + output.string() + "': " + e.what());
  };
  try {
    // Run 0 gives the months and the series every other run must have.
    std::vector<std::string> months;
    std::vector<SeriesInfo> series;
    {
      const h5::Hid first = h5::open_read_only(run_file(outdir, 0));
      months = h5::read_text(first, "/monthly/month");
      for (const std::string& name : h5::member_names(first, "/monthly")) {
        if (name == "month") continue;
        const h5::Hid dataset(H5Dopen2(first, ("/monthly/" + name).c_str(), H5P_DEFAULT), H5Dclose, "reading " + name);
        series.push_back({name, h5::string_attribute(dataset, "units"), h5::string_attribute(dataset, "description"),
                          h5::read_numbers(first, "/monthly/" + name).index() == 0});
      }
    }

    h5::NewFile out(output);
    write_design(out, sweep);
    const auto n = static_cast<std::uint64_t>(sweep.num_runs()), m = static_cast<std::uint64_t>(months.size());
    std::vector<std::string> versions, commits;
    {
      h5::Hid monthly = out.group("/monthly");
      out.column(monthly, "month", months);
      std::vector<h5::Hid> matrices;
      for (const SeriesInfo& s : series) {
        matrices.push_back(out.matrix(monthly, s.name, s.integers, n, m));
        out.attribute(matrices.back(), "units", s.units);
        out.attribute(matrices.back(), "description", s.description + "; one row per run");
      }
      for (std::int64_t first_run = 0; first_run < sweep.num_runs(); first_run += block_runs) {
        const std::int64_t runs = std::min(block_runs, sweep.num_runs() - first_run);
        std::vector<std::vector<std::int64_t>> integers(series.size());
        std::vector<std::vector<double>> reals(series.size());
        for (std::int64_t r = first_run; r < first_run + runs; ++r) {
          throw_if_stopped();
          const fs::path path = run_file(outdir, r);
          try {
            const h5::Hid file = h5::open_read_only(path);
            const h5::Hid meta(H5Gopen2(file, "/meta", H5P_DEFAULT), H5Gclose, "opening /meta of " + path.string());
            for (auto [key, found] : {std::pair{"version", &versions}, std::pair{"git_commit", &commits}}) {
              const std::string value = h5::string_attribute(meta, key);
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
          out.write_rows(matrices[s], series[s].integers, static_cast<std::uint64_t>(first_run),
                         static_cast<std::uint64_t>(runs), m,
                         series[s].integers ? static_cast<const void*>(integers[s].data()) : reals[s].data());
      }
    }
    {
      const auto joined = [](const std::vector<std::string>& values) {
        std::string out;
        for (const std::string& value : values) out += (out.empty() ? "" : ", ") + value;
        return out;
      };
      h5::Hid meta = out.group("/meta");
      out.attribute(meta, "version", joined(versions));  // of the runs; several if builds were mixed
      out.attribute(meta, "git_commit", joined(commits));
      out.attribute(meta, "sweep", folder.text);
      out.attribute(meta, "design", sweep.design);
      out.attribute(meta, "n_runs", sweep.num_runs());
      out.attribute(meta, "n_points", static_cast<std::int64_t>(sweep.points.size()));
      out.attribute(meta, "replicates", sweep.replicates);
      out.attribute(meta, "seed", static_cast<std::int64_t>(sweep.seed));
      out.attribute(meta, "common_random_numbers", static_cast<std::int64_t>(sweep.common_random_numbers));
      out.attribute(meta, "sweep_id", id);
    }
    throw_if_stopped();
    out.commit();
    return MergeSummary{sweep.num_runs(), series.size(), months.size()};
  } catch (const h5::Error& e) {
    throw fail(e);
  }
}

}  // namespace fraudsim::sweep
