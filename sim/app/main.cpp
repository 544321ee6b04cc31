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
#include "app/output_file.hpp"
#include "app/progress.hpp"
#include "app/shell_word.hpp"
#include "app/signals.hpp"
#include "app/sweep_commands.hpp"
#include "app/verify_command.hpp"
#include "engine/parallel.hpp"
#include "engine/stop.hpp"
#include "fraudsim/version.hpp"
#include "input/input_error.hpp"
#include "model/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "output/provenance.hpp"
#include "run/run.hpp"
#include "scenario/scenario.hpp"
#include "sweep/progress.hpp"
#include "sweep/replicates.hpp"

namespace {

using namespace fraudsim;

constexpr int exit_bad_input = 2;
constexpr int exit_failure = 1;

constexpr const char* run_help = R"(
Examples:
  fraudsim run scenarios/china_2019_2024.yaml                    # writes china_2019_2024.h5 here
  fraudsim run scenarios/china_2019_2024.yaml --set scale=1000 -o out/small.h5
  fraudsim run scenarios/china_2019_2024.yaml --set interventions.exit_controls_2021.enabled=false -o no_exit.h5
  fraudsim run scenarios/china_2019_2024.yaml --replicates 20 -o base.h5   # 20 seeds in one file

With --replicates N the file is laid out as a merged sweep (docs/output.md): replicate i
has seed i of the base seed's sequence, so two such files with the same seed and
different --set are paired replicate by replicate.
)";

struct ScenarioOptions {
  std::string path;
  std::vector<std::string> sets;
  std::int64_t seed = -1;

  void add_to(CLI::App& command, bool required = true) {
    CLI::Option* scenario = command.add_option(
        "scenario", path,
        required ? "scenario file (YAML)" : "scenario file (YAML), optional: checked; the schema is the same for every scenario");
    if (required) scenario->required();
    command.add_option("--set", sets,
                       "override one value, KEY.PATH=VALUE (e.g. interventions.exit_controls_2021.enabled=false); "
                       "repeatable")
        ->type_name("KEY.PATH=VALUE");
  }
  std::vector<input::Override> overrides() const {
    std::vector<input::Override> out;
    for (const std::string& text : sets) out.push_back(input::parse_override(text));
    return out;
  }
  scenario::Scenario load() const {
    std::vector<input::Override> all = overrides();
    if (seed >= 0) all.push_back({"seed", std::to_string(seed)});
    return scenario::load_scenario(path, all);
  }
};

struct RunRequest {
  std::string output_path;
  int threads = 0;
  bool transactions = false;
  bool force = false;
  std::int64_t replicates = 0;  // 0: one run, not a file of replicates
};

void print_summary(const output::RunOutput& out, const std::filesystem::path& file, double seconds) {
  const std::vector<std::string> columns = {"registered_cases", "victims",        "losses_yuan",     "cases_solved",
                                            "suspects_arrested", "recruits",       "chinese_workers_abroad", "persuaded_to_return"};
  const std::vector<std::string> headers = {"registered", "victims", "losses (bn yuan)", "solved", "arrested",
                                            "recruits",   "abroad at end", "persuaded home"};
  std::printf("\nAnnual totals (real people, cases and yuan; 'abroad at end' is the year-end stock of home-country workers abroad)\n");
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

// Named after the scenario, as --help says; a name that is no file name: after the file.
std::string default_output(const scenario::Scenario& scenario, const std::string& scenario_file) {
  const bool plain = !scenario.name.empty() && scenario.name.find('/') == std::string::npos && scenario.name != "." &&
                     scenario.name != "..";
  return (plain ? scenario.name : std::filesystem::path(scenario_file).stem().string()) + ".h5";
}

int replicates_command(const ScenarioOptions& options, const scenario::Scenario& loaded, const RunRequest& request,
                       const std::string& output_path) {
  if (request.transactions)
    throw input::InputError({"--transactions", 0, 0}, "", "", "a file of replicates holds monthly series only; "
                            "run one replicate alone (fraudsim run --seed) to get its transactions");
  std::vector<input::Override> overrides;
  for (const input::Override& item : options.overrides())
    if (item.path != "seed") overrides.push_back(item);  // the seed is the base of the replicates' seeds
  const sweep::Sweep replicates = sweep::replicates_sweep(options.path, overrides,
                                                          static_cast<std::uint64_t>(loaded.seed), request.replicates);
  const auto begin = std::chrono::steady_clock::now();
  {
    sweep::RunProgress progress(request.replicates);
    sweep::run_replicates(replicates, output_path, request.threads, [&] { progress.run_done(); });
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  std::printf("wrote %s: %lld replicates of seed %lld (%.2f s)\n", output_path.c_str(),
              static_cast<long long>(request.replicates), static_cast<long long>(loaded.seed), seconds);
  return 0;
}

int run_command(const ScenarioOptions& options, const RunRequest& request) {
  const scenario::Scenario scenario = options.load();
  const std::string output_path =
      request.output_path.empty() ? default_output(scenario, options.path) : request.output_path;
  app::check_output_file(output_path, request.force);  // refuse before the run, not after
  if (request.replicates > 0) return replicates_command(options, scenario, request, output_path);

  engine::ThreadLimit limit(request.threads);
  const auto seed = static_cast<std::uint64_t>(scenario.seed);
  app::Progress progress(engine::Calendar(scenario.start_date, scenario.end_date));
  const run::FinishedRun finished = run::run_scenario(
      scenario, {.seed = seed,
                 .record_transactions = request.transactions,
                 .after_day = [&](std::int32_t done, std::int32_t total) { progress.update(done, total); }});
  progress.finish();
  const run::RunInfo info{seed, request.threads, finished.wall_seconds, finished.setup_seconds};
  const output::RunOutput out = run::make_output(scenario, *finished.simulation, info);
  output::write_hdf5(out, output_path);
  print_summary(out, output_path, info.wall_seconds);
  return 0;
}

int schema_command(const ScenarioOptions& options) {
  // The schema is the same for every scenario; a file given is checked all the same.
  scenario::Scenario loaded = options.path.empty() ? scenario::Scenario{} : options.load();
  std::cout << input::schema_markdown([&](input::Fields& f) { loaded.describe(f); });
  // Each type's own keys; the table above lists those every type shares.
  for (const std::string_view type : interventions::intervention_types()) {
    auto intervention = interventions::make_intervention(type);
    std::cout << "\n### Intervention type `" << type << "`\n\n"
              << input::schema_markdown([&](input::Fields& f) { intervention->describe_own(f); });
  }
  return 0;
}

// The command line as run, each word as a shell would need it.
std::string command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) out += (i ? " " : "") + app::shell_word(argv[i]);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  app::install_signal_handlers();
  CLI::App app{"fraudsim: a simulator of telecom and online fraud and the measures against it"};
  app.set_version_flag("--version", std::string(build::version) + " (" + build::git_commit + ")");
  app.require_subcommand(1);

  ScenarioOptions run_options;
  RunRequest request;
  CLI::App* run = app.add_subcommand("run", "run a scenario and write its results to HDF5");
  run->footer(run_help);
  run_options.add_to(*run);
  run->add_option("-o,--output", request.output_path,
                  "output file (default: <scenario name>.h5 in the current folder)");
  run->add_option("--seed", run_options.seed, "run seed (overrides the scenario's)")->check(app::whole_number());
  run->add_option("--threads", request.threads, "worker threads (default: all cores); results do not depend on it")
      ->check(app::whole_number());
  run->add_flag("--transactions", request.transactions,
                "also write every laundering transfer, labelled, as the table /transactions");
  run->add_flag("--force", request.force, "overwrite the output file if it exists");
  run->add_option("--replicates", request.replicates,
                  "run N replicates (seeds from the run seed) into one file laid out as a merged sweep")
      ->check(app::whole_number(1));

  ScenarioOptions check_options;
  CLI::App* check = app.add_subcommand("check", "validate a scenario and print it fully resolved");
  check_options.add_to(*check);

  ScenarioOptions schema_options;
  CLI::App* schema =
      app.add_subcommand("schema", "print every scenario key with its unit and bounds (Markdown); no file needed");
  schema_options.add_to(*schema, false);

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

  output::record_invocation({command_line(argc, argv), run_options.sets});
  try {
    if (sweep_command) return sweep_command();
    if (calibrate_command) return calibrate_command();
    if (verify_command) return verify_command();
    if (*run) return run_command(run_options, request);
    if (*check) {
      std::cout << scenario::resolved_yaml(check_options.load());
      return 0;
    }
    if (*schema) return schema_command(schema_options);
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
