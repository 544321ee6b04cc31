// Every error a user can make in a scenario or on the command line: one
// message naming file, line, key, value and what was expected; exit code 2;
// no output file.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_helpers.hpp"

namespace fs = std::filesystem;
using fraudsim::testing::source_path;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int exit_code;
  std::string stderr_text;
  bool output_exists;
};

// Runs `fraudsim run FILE -o OUT.h5 ARGS` on the reference scenario with
// `from` replaced by `to` in its text.
Outcome run_modified(const std::string& from, const std::string& to, const std::string& args = "") {
  const fs::path dir = fs::temp_directory_path() / ("fraudsim_cli_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string text = read_file(source_path("scenarios/china_2019_2024.yaml"));
  if (!from.empty()) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  }
  const fs::path scenario = dir / "scenario.yaml", output = dir / "out.h5", errors = dir / "stderr.txt";
  std::ofstream(scenario) << text;
  fs::remove(output);
  const std::string command = std::string(FRAUDSIM_BINARY) + " run " + scenario.string() + " -o " + output.string() +
                              " --set scale=100000 " + args + " > /dev/null 2> " + errors.string();
  const int status = std::system(command.c_str());
  Outcome outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(errors), fs::exists(output)};
  fs::remove_all(dir);
  return outcome;
}

void expect_bad_input(const Outcome& outcome, const std::vector<std::string>& fragments) {
  INFO("stderr: " << outcome.stderr_text);
  CHECK(outcome.exit_code == 2);
  CHECK_FALSE(outcome.output_exists);
  // One message, on one line.
  CHECK(std::count(outcome.stderr_text.begin(), outcome.stderr_text.end(), '\n') == 1);
  for (const auto& fragment : fragments) CHECK_THAT(outcome.stderr_text, Catch::Contains(fragment));
}

}  // namespace

TEST_CASE("a good scenario runs and writes its file", "[cli]") {
  const auto outcome = run_modified("", "");
  INFO(outcome.stderr_text);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.output_exists);
}

TEST_CASE("scenario errors name file, line, key, value and what is expected", "[cli][validation]") {
  SECTION("YAML syntax error") {
    expect_bad_input(run_modified("scale: 1000 ", "scale: [1000 "), {"scenario.yaml:", "error"});
  }
  SECTION("unknown key, with a suggestion") {
    expect_bad_input(run_modified("  salary_elasticity:", "  salary_elasticty:"),
                     {"scenario.yaml:", "recruitment.salary_elasticty", "did you mean 'salary_elasticity'"});
  }
  SECTION("duplicate key") {
    expect_bad_input(run_modified("scale: 1000 ", "scale: 1000\nscale: 10 "), {"scenario.yaml:", "scale", "duplicate"});
  }
  SECTION("wrong type") {
    expect_bad_input(run_modified("attempts_per_day: 143", "attempts_per_day: many"),
                     {"scenario.yaml:", "workers.attempts_per_day", "many", "number"});
  }
  SECTION("probability outside [0, 1]") {
    expect_bad_input(run_modified("trafficked_share: 0.3", "trafficked_share: 1.3"),
                     {"scenario.yaml:", "recruitment.trafficked_share", "1.3", "[0, 1]"});
  }
  SECTION("negative count") {
    expect_bad_input(run_modified("compounds: 60,", "compounds: -60,"),
                     {"scenario.yaml:", "jurisdictions.northern_myanmar.compounds", "-60"});
  }
  SECTION("date that does not parse") {
    expect_bad_input(run_modified("start: 2022-12-01\n    seller_deterrence", "start: 2022-02-30\n    seller_deterrence"),
                     {"scenario.yaml:", "interventions.anti_fraud_law.start", "2022-02-30", "YYYY-MM-DD"});
  }
  SECTION("end before its start") {
    expect_bad_input(
        run_modified("smuggling_block_probability: 0.6", "smuggling_block_probability: 0.6\n    end: 2020-06-30"),
        {"scenario.yaml:", "interventions.exit_controls_2021.end", "2020-06-30", "2021-10-16"});
  }
  SECTION("intervention entirely outside the simulated period") {
    expect_bad_input(run_modified("start: 2023-08-01\n    reach_per_day", "start: 2031-08-01\n    reach_per_day"),
                     {"scenario.yaml:", "interventions.awareness_campaign_2023.start", "2031-08-01", "outside"});
  }
  SECTION("unknown intervention type") {
    expect_bad_input(run_modified("type: exit_control", "type: exit_controls"),
                     {"scenario.yaml:", "interventions.exit_controls_2021.type", "exit_controls", "exit_control"});
  }
  SECTION("shares that do not add up") {
    expect_bad_input(run_modified("  call: 0.40", "  call: 0.50"), {"scenario.yaml:", "channels", "add up to 1"});
  }
  SECTION("--set with a path the schema does not know") {
    expect_bad_input(run_modified("", "", "--set recruitment.acceptance=0.1"),
                     {"--set", "recruitment.acceptance", "acceptance_probability"});
  }
  SECTION("--set with a value of the wrong type") {
    expect_bad_input(run_modified("", "", "--set interventions.exit_controls_2021.enabled=maybe"),
                     {"--set", "interventions.exit_controls_2021.enabled", "maybe"});
  }
  SECTION("--set cannot add an intervention") {
    expect_bad_input(run_modified("", "", "--set interventions.new_one.enabled=true"),
                     {"--set", "interventions.new_one.enabled"});
  }
}

TEST_CASE("a missing scenario file is bad input", "[cli][validation]") {
  const std::string command = std::string(FRAUDSIM_BINARY) + " check /nonexistent/scenario.yaml > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  CHECK(WEXITSTATUS(status) == 2);
}

TEST_CASE("an output folder that does not exist is refused before the run", "[cli]") {
  const std::string errors = (fs::temp_directory_path() / "fraudsim_cli_outdir.txt").string();
  const std::string command = std::string(FRAUDSIM_BINARY) + " run " + source_path("scenarios/china_2019_2024.yaml") +
                              " -o /nonexistent/folder/out.h5 > /dev/null 2> " + errors;
  const int status = std::system(command.c_str());
  const std::string text = read_file(errors);
  INFO(text);
  CHECK(WEXITSTATUS(status) == 2);  // a usage error, like any other wrong argument
  CHECK_THAT(text, Catch::Contains("/nonexistent/folder/out.h5"));
  CHECK_THAT(text, Catch::Contains("does not exist"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  fs::remove(errors);
}

TEST_CASE("run refuses to overwrite a file unless given --force", "[cli]") {
  const fs::path dir = fs::temp_directory_path() / ("fraudsim_cli_force_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path output = dir / "out.h5", errors = dir / "stderr.txt";
  std::ofstream(output) << "an earlier result";
  const auto run = [&](const std::string& extra) {
    const std::string command = std::string(FRAUDSIM_BINARY) + " run " + source_path("scenarios/china_2019_2024.yaml") +
                                " -o " + output.string() + " --set scale=100000 " + extra + " > /dev/null 2> " +
                                errors.string();
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  CHECK(run("") == 2);
  const std::string text = read_file(errors);
  INFO(text);
  CHECK_THAT(text, Catch::Contains("--force") && Catch::Contains(output.string()));
  CHECK(read_file(output) == "an earlier result");
  CHECK(run("--force") == 0);
  CHECK(read_file(output) != "an earlier result");
  fs::remove_all(dir);
}
