// The fraudsim command: run, check and document scenarios.
//
// Exit codes: 0 success, 2 bad input (scenario, options), 1 any other failure.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/calibrate_command.hpp"
#include "app/cli_checks.hpp"
#include "app/progress.hpp"
#include "app/signals.hpp"
#include "engine/stop.hpp"
#include "app/verify_command.hpp"
#include "app/sweep_commands.hpp"
#include "engine/parallel.hpp"
#include "fraudsim/version.hpp"
#include "scenario/scenario.hpp"
#include "model/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "run/run.hpp"
#include "input/input_error.hpp"

namespace {

using namespace fraudsim;

constexpr int exit_bad_input = 2;
constexpr int exit_failure = 1;

struct ScenarioOptions {
  std::string path;
  std::vector<std::string> sets;
  std::int64_t seed = -1;

  void add_to(CLI::App& command) {
    command.add_option("scenario", path, "scenario file (YAML)")->required();
    command.add_option("--set", sets,
                       "override one value, KEY.PATH=VALUE (e.g. interventions.exit_2021.enabled=false); repeatable")
        ->type_name("KEY.PATH=VALUE");
  }
  scenario::Scenario load() const {
    std::vector<input::Override> overrides;
    for (const std::string& text : sets) overrides.push_back(input::parse_override(text));
    if (seed >= 0) overrides.push_back({"seed", std::to_string(seed)});
    return scenario::load_scenario(path, overrides);
  }
};

void print_summary(const output::RunOutput& out, const std::filesystem::path& file, double seconds) {
  const std::vector<std::string> columns = {"registered_cases", "victims",        "losses_yuan",     "cases_solved",
                                            "suspects_arrested", "recruits",       "workers_abroad", "persuaded_to_return"};
  const std::vector<std::string> headers = {"registered", "victims", "losses (bn yuan)", "solved", "arrested",
                                            "recruits",   "abroad at end", "persuaded home"};
  std::printf("\nAnnual totals (real people, cases and yuan; 'abroad at end' is the year-end stock)\n");
  std::printf("%-6s", "year");
  for (const auto& header : headers) std::printf(" %16s", header.c_str());
  std::printf("\n");
  for (const auto& row : run::annual_totals(out, columns)) {
    std::printf("%-6d", row.year);
    for (std::size_t k = 0; k < row.values.size(); ++k) {
      if (columns[k] == "losses_yuan")
        std::printf(" %16.2f", row.values[k] / 1e9);
      else
        std::printf(" %16.0f", row.values[k]);
    }
    std::printf("\n");
  }
  std::printf("\nwrote %s (%.2f s)\n", file.string().c_str(), seconds);
}

int run_command(const ScenarioOptions& options, std::string output_path, int threads, bool transactions) {
  const scenario::Scenario scenario = options.load();
  if (output_path.empty()) {  // named after the scenario, as --help says; a name that is no file name: after the file
    const bool plain = !scenario.name.empty() && scenario.name.find('/') == std::string::npos && scenario.name != "." &&
                       scenario.name != "..";
    output_path = (plain ? scenario.name : std::filesystem::path(options.path).stem().string()) + ".h5";
  }
  output::check_writable(output_path);  // refuse before the run, not after

  engine::ThreadLimit limit(threads);
  const auto seed = static_cast<std::uint64_t>(scenario.seed);
  app::Progress progress(engine::Calendar(scenario.start_date, scenario.end_date));
  const run::FinishedRun finished = run::run_scenario(
      scenario, {.seed = seed,
                 .record_transactions = transactions,
                 .after_day = [&](std::int32_t done, std::int32_t total) { progress.update(done, total); }});
  progress.finish();
  const run::RunInfo info{seed, threads, finished.wall_seconds};
  const output::RunOutput out = run::make_output(scenario, *finished.simulation, info);
  output::write_hdf5(out, output_path);
  print_summary(out, output_path, info.wall_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  app::install_signal_handlers();
  CLI::App app{"fraudsim: a simulator of telecom and online fraud and the measures against it"};
  app.set_version_flag("--version", std::string(build::version) + " (" + build::git_commit + ")");
  app.require_subcommand(1);

  ScenarioOptions run_options;
  std::string output_path;
  int threads = 0;
  bool transactions = false;
  CLI::App* run = app.add_subcommand("run", "run a scenario and write its results to HDF5");
  run_options.add_to(*run);
  run->add_option("-o,--output", output_path, "output file (default: <scenario name>.h5 in the current folder)");
  run->add_option("--seed", run_options.seed, "run seed (overrides the scenario's)")->check(app::whole_number());
  run->add_option("--threads", threads, "worker threads (default: all cores); results do not depend on it")
      ->check(app::whole_number());
  run->add_flag("--transactions", transactions,
                "also write every laundering transfer, labelled, as the table /transactions");

  ScenarioOptions check_options;
  CLI::App* check = app.add_subcommand("check", "validate a scenario and print it fully resolved");
  check_options.add_to(*check);

  ScenarioOptions schema_options;
  CLI::App* schema = app.add_subcommand("schema", "print every scenario key with its unit and bounds (Markdown)");
  schema_options.add_to(*schema);

  std::function<int()> sweep_command;  // sweep or merge, if chosen
  app::add_sweep_commands(app, sweep_command, argc > 0 ? argv[0] : "fraudsim");
  std::function<int()> calibrate_command;
  app::add_calibrate_command(app, calibrate_command);
  std::function<int()> verify_command;
  app::add_verify_command(app, verify_command);

  // A misspelt command would otherwise read as a stray argument ("A subcommand is required").
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands({})) names.push_back(command->get_name());
    if (std::find(names.begin(), names.end(), argv[1]) == names.end()) {
      const std::string match = input::closest_match(argv[1], names);
      std::string list;
      for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
      std::cerr << "error: unknown command '" << argv[1] << "'; expected one of: " << list
                << (match.empty() ? "" : " (did you mean '" + match + "'?)") << "\n";
      return exit_bad_input;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // One line, like every other input error.
    const CLI::App* command = app.get_subcommands().empty() ? &app : app.get_subcommands().front();
    std::cerr << "error: " << (command == &app ? "" : command->get_name() + ": ") << e.what() << " (see fraudsim "
              << (command == &app ? "" : command->get_name() + " ") << "--help)\n";
    return exit_bad_input;
  }

  try {
    if (sweep_command) return sweep_command();
    if (calibrate_command) return calibrate_command();
    if (verify_command) return verify_command();
    if (*run) return run_command(run_options, output_path, threads, transactions);
    if (*check) {
      std::cout << scenario::resolved_yaml(check_options.load());
      return 0;
    }
    if (*schema) {
      scenario::Scenario loaded = schema_options.load();
      std::cout << input::schema_markdown([&](input::Fields& f) { loaded.describe(f); });
      // The table above shows an entry's fields from the scenario's first
      // intervention; each type has its own.
      for (const std::string_view type : interventions::intervention_types()) {
        auto intervention = interventions::make_intervention(type);
        std::cout << "\n### Intervention type `" << type << "`\n\n"
                  << input::schema_markdown([&](input::Fields& f) { intervention->describe(f); });
      }
      return 0;
    }
  } catch (const engine::Stopped& e) {
    std::cerr << "stopped by signal " << e.signal << "; no output written\n";
    return 128 + e.signal;
  } catch (const input::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const output::OutputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_failure;
  }
  return exit_failure;
}
