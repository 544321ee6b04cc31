// fraudsim calibrate CALIBRATION.yaml -o FIT.h5 [--threads N] [--fit-until YYYY-MM]
#include "app/calibrate_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "app/cli_checks.hpp"
#include "app/output_file.hpp"
#include "app/shell_word.hpp"
#include "calibrate/abc.hpp"
#include "calibrate/fit_output.hpp"
#include "engine/calendar.hpp"
#include "engine/parallel.hpp"
#include "engine/stop.hpp"
#include "input/input_error.hpp"
#include "output/safe_write.hpp"
#ifdef FRAUDSIM_HAVE_MPI
#include "run/mpi/mpi_ensemble.hpp"
#endif

namespace fraudsim::app {

namespace {

struct Options {
  std::string calibration, output, fit_until;
  int threads = 0;
};

// The plot of the posterior band, by the analysis package (pip install
// ./analysis) run with $FRAUDSIM_PYTHON, else the interpreter the build was
// configured with; without it, one line says how to make the plot later.
void plot(const calibrate::FitFiles& files) {
  std::fflush(stdout);  // the summary above, before anything the interpreter or the note prints
  const char* chosen = std::getenv("FRAUDSIM_PYTHON");
  const std::string python = chosen && *chosen ? chosen : FRAUDSIM_PYTHON;
  const std::string command = shell_word(python) + " -m fraudsim_analysis plot-fit " +
                              shell_word(files.data.string()) + " -o " + shell_word(files.plot.string());
  const std::string shown = "python3 -m fraudsim_analysis plot-fit " + shell_word(files.data.string()) + " -o " +
                            shell_word(files.plot.string());
  if (std::system((shell_word(python) + " -c 'import fraudsim_analysis' > /dev/null 2>&1").c_str()) != 0)
    std::fprintf(stderr, "note: no plot (the analysis package is not installed): pip install ./analysis, then %s\n",
                 shown.c_str());
  else if (std::system((command + " > /dev/null").c_str()) != 0)
    std::fprintf(stderr, "note: no plot (%s failed)\n", command.c_str());
  else
    std::printf("plot: %s\n", files.plot.string().c_str());
}

// How this process takes part: alone (it writes), or as one MPI rank.
struct Role {
  bool writes = true;  // rank 0, or a single process
  run::Ensemble* ensemble = nullptr;  // none: this process's threads
  // Collective under MPI: whether any rank failed its set-up.
  std::function<bool(bool)> any_failed = [](bool failed) { return failed; };
};

int run(const Options& options, const Role& role) {
  // Set-up: load, check, and (the writer) make sure the outputs can be written.
  std::optional<calibrate::Calibration> loaded;
  const calibrate::FitFiles files{options.output};
  std::exception_ptr setup_error;
  try {
    loaded.emplace(calibrate::load_calibration(options.calibration));
    if (!options.fit_until.empty() && !engine::Date::parse(options.fit_until + "-01"))
      throw input::InputError({"command line", 0, 0}, "--fit-until", options.fit_until, "expected a month YYYY-MM");
    if (role.writes) {
      check_output_file(files.data, true);  // a missing folder is a usage error, as for run
      output::check_writable(files.best_scenario);
    }
  } catch (...) {
    setup_error = std::current_exception();
  }
  if (role.any_failed(setup_error != nullptr)) {
    if (setup_error && role.writes) std::rethrow_exception(setup_error);
    return setup_error ? 2 : 1;  // the writer reports it
  }
  const calibrate::Calibration& c = *loaded;

  engine::ThreadLimit limit(options.threads);
  calibrate::FitOptions fit_options;
  if (!options.fit_until.empty()) fit_options.fit_until = options.fit_until;
  // One line per batch of particles, on a terminal or in a job's log.
  if (role.writes) fit_options.progress = [](const std::string& line) { std::cerr << line << std::endl; };
  fit_options.ensemble = role.ensemble;
  const calibrate::Fit fit = calibrate::fit(c, fit_options);
  if (!role.writes) return 0;

  calibrate::write_fit(c, fit, options.fit_until, files);
  std::printf("%s", calibrate::fit_summary(c, fit).c_str());
  std::printf("\nwrote %s and %s (%lld simulations, %.1f s, %.2f simulations/s)\n", files.data.string().c_str(),
              files.best_scenario.string().c_str(), static_cast<long long>(fit.simulations), fit.wall_seconds,
              static_cast<double>(fit.simulations) / fit.wall_seconds);
  plot(files);
  return 0;
}

int run(const Options& options) {
#ifdef FRAUDSIM_HAVE_MPI
  if (run::mpi::launched_by_mpi()) {
    const run::mpi::Session session;
    const auto ensemble = run::mpi::ensemble(session, "simulation");
    Role role;
    role.writes = session.rank == 0;
    role.ensemble = ensemble.get();
    role.any_failed = [](bool failed) { return run::mpi::largest(failed ? 1 : 0) != 0; };
    Options per_rank = options;
    if (per_rank.threads == 0) per_rank.threads = 1;  // one rank per core unless asked otherwise
    try {
      return run(per_rank, role);
    } catch (const engine::Stopped& e) {
      if (role.writes) throw;  // rank 0 says it
      return 128 + e.signal;
    } catch (const run::FailedElsewhere&) {
      if (role.writes) throw;
      return 1;  // the failing rank said why
    }
  }
#endif
  return run(options, Role{});
}

}  // namespace

void add_calibrate_command(CLI::App& app, std::function<int()>& command) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand("calibrate", "fit free parameters to reported figures (ABC-SMC, then Nelder-Mead)");
  sub->add_option("calibration", options->calibration, "calibration file (YAML)")->required();
  sub->add_option("-o,--output", options->output, "output file (HDF5); FIT.best.yaml and FIT.png are written beside it")->required();
  sub->add_option("--threads", options->threads,
                  "worker threads (default: all cores; under MPI: per rank, default 1); results do not depend on it")
      ->check(app::whole_number());
  sub->add_option("--fit-until", options->fit_until,
                  "fit only targets that end by this month (YYYY-MM); predict the later ones (out-of-sample check)");
  sub->callback([&command, sub, options] {
    if (sub->parsed()) command = [options] { return run(*options); };
  });
}

}  // namespace fraudsim::app
