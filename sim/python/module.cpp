// fraudsim._core: the engine in process for the Python package fraudsim
// (python/fraudsim, docs/python.md). A run is loaded, simulated and turned
// into output by the same calls as the command line's `run`, so that what
// Python holds is what the command line would write, bit for bit; Python
// receives the arrays the HDF5 writer consumes and can write them with it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <csignal>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "engine/parallel.hpp"
#include "engine/stop.hpp"
#include "fraudsim/version.hpp"
#include "input/input_error.hpp"
#include "output/hdf5_writer.hpp"
#include "output/provenance.hpp"
#include "run/ensemble.hpp"
#include "run/run.hpp"
#include "scenario/scenario.hpp"

namespace py = pybind11;

namespace {

using namespace fraudsim;

extern "C" void note_interrupt(int signal_number) { engine::request_stop(signal_number); }

// Python's own SIGINT handler only sets a flag that the interpreter reads
// between bytecodes, and it runs none while the engine does. For the
// duration of a run started from the main thread, Ctrl-C asks the engine to
// stop instead, as the command line's handler does (app/signals.cpp); the
// run unwinds at the end of its day and Python gets KeyboardInterrupt. A
// stopped run must not stop the next one, so the request is forgotten after.
class InterruptStopsRun {
 public:
  explicit InterruptStopsRun(bool from_main_thread) : installed_(from_main_thread) {
    engine::clear_stop();
    if (!installed_) return;
    struct sigaction action {};
    action.sa_handler = note_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &python_handler_);
  }
  ~InterruptStopsRun() {
    if (installed_) sigaction(SIGINT, &python_handler_, nullptr);
    engine::clear_stop();
  }
  InterruptStopsRun(const InterruptStopsRun&) = delete;
  InterruptStopsRun& operator=(const InterruptStopsRun&) = delete;

 private:
  bool installed_;
  struct sigaction python_handler_ {};
};

// The scenario as `fraudsim run SCENARIO --set ... --seed SEED` loads it.
scenario::Scenario load(const std::string& path, const std::vector<std::string>& sets, std::optional<std::int64_t> seed) {
  std::vector<input::Override> overrides;
  for (const std::string& text : sets) overrides.push_back(input::parse_override(text));
  if (seed) overrides.push_back({"seed", std::to_string(*seed)});
  return scenario::load_scenario(path, overrides);
}

// `threads` is recorded in /meta as requested, as the command line does.
output::RunOutput simulate(const scenario::Scenario& s, int threads, bool transactions) {
  const auto seed = static_cast<std::uint64_t>(s.seed);
  const run::FinishedRun finished = run::run_scenario(s, {.seed = seed, .record_transactions = transactions});
  return run::make_output(s, *finished.simulation, {seed, threads, finished.wall_seconds, finished.setup_seconds});
}

// What /meta says wrote the file: the call, and its overrides as `--set`
// would give them (so a run from Python and one from the command line with
// the same overrides record the same `overrides`).
void record_call(const char* function, const std::string& path, const std::vector<std::string>& sets) {
  std::string call = std::string("fraudsim.") + function + "('" + path + "'";
  for (const std::string& text : sets) call += ", set " + text;
  output::record_invocation({call + ")", sets});
}

output::RunOutput run_one(const std::string& path, const std::vector<std::string>& sets, std::optional<std::int64_t> seed,
                          int threads, bool transactions, bool from_main_thread) {
  record_call("run", path, sets);
  py::gil_scoped_release unlocked;
  InterruptStopsRun interrupt(from_main_thread);
  engine::ThreadLimit limit(threads);
  output::RunOutput out = simulate(load(path, sets, seed), threads, transactions);
  engine::throw_if_stopped();  // a Ctrl-C after the last day still means stop
  return out;
}

// The replicates of one scenario on the ensemble runner, as a sweep runs them.
std::vector<output::RunOutput> run_seeds(const std::string& path, const std::vector<std::string>& sets,
                                         const std::vector<std::int64_t>& seeds, int threads, bool transactions,
                                         bool from_main_thread) {
  record_call("run_many", path, sets);
  py::gil_scoped_release unlocked;
  InterruptStopsRun interrupt(from_main_thread);
  engine::ThreadLimit limit(threads);
  std::vector<scenario::Scenario> scenarios;
  for (const std::int64_t seed : seeds) scenarios.push_back(load(path, sets, seed));
  std::vector<output::RunOutput> outputs(seeds.size());
  std::vector<std::int64_t> jobs(seeds.size());
  std::iota(jobs.begin(), jobs.end(), 0);
  run::thread_ensemble()->run(jobs, [&](std::int64_t k) {
    const auto at = static_cast<std::size_t>(k);
    outputs[at] = simulate(scenarios[at], threads, transactions);  // each job its own slot
    return run::JobResult{};
  });
  engine::throw_if_stopped();
  return outputs;
}

// Values as numpy arrays (copied: the run may outlive nothing in Python);
// a column of `width` > 0 is 2-D, [rows, width]; text is a list of str.
template <class T>
py::object to_python(const std::vector<T>& values, std::size_t width) {
  if (width == 0) return py::array_t<T>(static_cast<py::ssize_t>(values.size()), values.data());
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(values.size() / width), static_cast<py::ssize_t>(width)};
  return py::array_t<T>(shape, values.data());
}
py::object to_python(const std::vector<std::string>& values, std::size_t) { return py::cast(values); }

template <class Variant>
py::object to_python(const Variant& values, std::size_t width = 0) {
  return std::visit([&](const auto& v) { return to_python(v, width); }, values);
}

const char* kind_name(output::Kind kind) { return kind == output::Kind::flow ? "flow" : "stock"; }

py::list series_list(const std::vector<output::Series>& series) {
  py::list out;
  for (const output::Series& s : series)
    out.append(py::dict(py::arg("name") = s.name, py::arg("units") = s.units, py::arg("description") = s.description,
                        py::arg("kind") = kind_name(s.kind), py::arg("scaled") = s.scaled,
                        py::arg("values") = to_python(s.values)));
  return out;
}

py::list table_list(const std::vector<output::Table>& tables) {
  py::list out;
  for (const output::Table& table : tables) {
    py::list columns;
    for (const output::Column& c : table.columns)
      columns.append(py::dict(py::arg("name") = c.name, py::arg("units") = c.units,
                              py::arg("description") = c.description, py::arg("values") = to_python(c.values, c.width)));
    out.append(py::dict(py::arg("group") = table.group, py::arg("description") = table.description,
                        py::arg("columns") = columns));
  }
  return out;
}

py::dict meta_dict(const std::vector<std::pair<std::string, output::MetaValue>>& meta) {
  py::dict out;
  for (const auto& [name, value] : meta) out[py::str(name)] = py::cast(value);
  return out;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "The fraudsim engine in process; use the package fraudsim (fraudsim.run, fraudsim.run_many).";
  m.attr("__version__") = std::string(build::version);
  m.attr("git_commit") = std::string(build::git_commit);

  // Errors the user can cause keep the command line's one-line messages.
  static py::exception<input::InputError> input_error(m, "InputError", PyExc_ValueError);
  static py::exception<output::OutputError> output_error(m, "OutputError", PyExc_OSError);
  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const engine::Stopped&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    } catch (const input::InputError& e) {
      input_error(e.what());
    } catch (const output::OutputError& e) {
      output_error(e.what());
    }
  });

  py::class_<output::RunOutput>(m, "RunOutput", "What a run writes to its HDF5 file, held in memory")
      .def_property_readonly("meta", [](const output::RunOutput& r) { return meta_dict(r.meta); })
      .def_property_readonly("daily_dates", [](const output::RunOutput& r) { return r.daily_dates; })
      .def_property_readonly("monthly_months", [](const output::RunOutput& r) { return r.monthly_months; })
      .def_property_readonly("daily", [](const output::RunOutput& r) { return series_list(r.daily); })
      .def_property_readonly("monthly", [](const output::RunOutput& r) { return series_list(r.monthly); })
      .def_property_readonly("tables", [](const output::RunOutput& r) { return table_list(r.tables); })
      .def_property_readonly("perf_seconds",
                             [](const output::RunOutput& r) {
                               py::dict out;
                               for (const auto& [name, seconds] : r.perf_seconds) out[py::str(name)] = seconds;
                               return out;
                             })
      .def(
          "save",
          [](const output::RunOutput& r, const std::string& path) {
            py::gil_scoped_release unlocked;
            output::write_hdf5(r, path);
          },
          py::arg("path"), "Writes the run file the command line writes (docs/output.md), complete or not at all");

  m.def("run", &run_one, py::arg("scenario"), py::arg("sets"), py::arg("seed"), py::arg("threads"),
        py::arg("transactions"), py::arg("from_main_thread"),
        "Loads the scenario file with its overrides (KEY.PATH=VALUE) and runs it; seed None: the scenario's");
  m.def("run_seeds", &run_seeds, py::arg("scenario"), py::arg("sets"), py::arg("seeds"), py::arg("threads"),
        py::arg("transactions"), py::arg("from_main_thread"), "The scenario run once per seed, several at once");
}
