// Inputs the fuzz target of the loaders (tests/fuzz) found to crash, hang,
// overflow or give a malformed message, each now a clear InputError.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "input/input_error.hpp"
#include "input/yaml_fields.hpp"
#include "input/yaml_tree.hpp"
#include "sweep/sweep.hpp"
#include "test_helpers.hpp"

using namespace fraudsim;
using Catch::Matchers::Contains;
using fraudsim::testing::source_path;
using input::InputError;

namespace {

std::string reference_text() {
  std::ifstream in(source_path("scenarios/china_2019_2024.yaml"));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

InputError load_error(const std::string& text, const std::vector<std::string>& sets = {}) {
  std::vector<input::Override> overrides;
  for (const std::string& set : sets) overrides.push_back(input::parse_override(set));
  try {
    (void)scenario::load_scenario_text(text, "scenario.yaml", overrides);
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the scenario loaded");
  throw;
}

}  // namespace

TEST_CASE("an input error is one line, whatever the input holds", "[fuzz]") {
  const InputError error({"scenario.yaml", 3, 1}, "a\nb", "x\ty\r", "unknown key\x01");
  const std::string message = error.what();
  CHECK(message.find_first_of("\n\r\t\x01") == std::string::npos);
  CHECK(message == "scenario.yaml:3:1: a\\nb = \"x\\ty\\r\": unknown key\\x01");
  CHECK(error.key_path() == "a\nb");  // the parts themselves stay as written

  const InputError from_set = load_error(reference_text(), {"ryco\r=1"});
  CHECK_THAT(from_set.what(), Contains("--set: ryco\\r = 1: unknown key path"));
}

TEST_CASE("aliases that expand past a hundred thousand values are refused", "[fuzz]") {
  // Ten values, then nine levels of ten aliases each: 10^10 values expanded.
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  std::string previous = "a";
  for (int level = 0; level < 9; ++level) {
    const std::string name = "b" + std::to_string(level);
    text += name + ": &" + name + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *" : "*") + previous;
    text += "]\n";
    previous = name;
  }
  try {
    input::parse_yaml_text(text, "laughs.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.origin().file == "laughs.yaml");
    CHECK(e.origin().line > 0);
    CHECK_THAT(e.what(), Contains("more than 100000 values (with aliases expanded)"));
  }
  // An alias within the limit still copies its anchor.
  const input::YamlNode small = input::parse_yaml_text("a: &a [1, 2]\nb: *a\n", "small.yaml");
  CHECK(small.find("b")->sequence.size() == 2);
}

TEST_CASE("a file without end is refused, not read into memory", "[fuzz]") {
  try {
    input::parse_yaml_file("/dev/zero");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.origin().file == "/dev/zero");
    CHECK_THAT(e.what(), Contains("larger than 16 MiB"));
  }
}

TEST_CASE("nesting deeper than the YAML parser allows is a syntax error", "[fuzz]") {
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  CHECK_THROWS_WITH(input::parse_yaml_text(deep, "deep.yaml"), Contains("deep.yaml:") && Contains("YAML syntax error"));
  CHECK_THROWS_AS(sweep::parse_resolved_sweep(deep, "sweep.yaml"), InputError);
}

TEST_CASE("an intervention without its type is reported, not a crash", "[fuzz]") {
  const std::string type_line = "    type: interception\n    start: 2019-01-01\n";
  const InputError missing = load_error(replaced(reference_text(), type_line, "    start: 2019-01-01\n"));
  CHECK(missing.key_path() == "interventions.interception_baseline.type");
  CHECK_THAT(missing.what(), Contains("missing required key 'type'"));
  CHECK(missing.origin().line > 0);

  // A misspelt type is still named as the typo it is.
  const InputError misspelt =
      load_error(replaced(reference_text(), type_line, "    tpye: interception\n    start: 2019-01-01\n"));
  CHECK(misspelt.key_path() == "interventions.interception_baseline.tpye");
  CHECK_THAT(misspelt.what(), Contains("did you mean 'type'"));
}

TEST_CASE("counts too large for the model are refused naming a file, without overflow", "[fuzz]") {
  const std::string most = std::to_string(INT64_MAX);
  const InputError overflow = load_error(
      reference_text(), {"jurisdictions.northern_myanmar.compounds=" + most, "jurisdictions.northern_myanmar.max_compounds=" + most,
                         "jurisdictions.cambodia.compounds=" + most, "jurisdictions.cambodia.max_compounds=" + most});
  CHECK(overflow.key_path() == "jurisdictions.*.compounds");
  CHECK(overflow.origin().file == "--set");
  CHECK_THAT(overflow.what(), Contains("expected at most 65535 in all jurisdictions together"));

  const InputError many = load_error(reference_text(), {"jurisdictions.northern_myanmar.compounds=70000",
                                                        "jurisdictions.northern_myanmar.max_compounds=70000"});
  CHECK(many.value() == "70095");
  CHECK(many.origin().file == "--set");

  const InputError from_file = load_error(
      replaced(replaced(reference_text(), "compounds: 60,", "compounds: 70000,"), "max_compounds: 90,", "max_compounds: 70000,"));
  CHECK(from_file.origin().file == "scenario.yaml");
  CHECK(from_file.origin().line > 0);
}

TEST_CASE("a population beyond every integer asks for a larger scale", "[fuzz]") {
  const InputError error = load_error(reference_text(), {"population=1e300", "scale=1"});
  CHECK(error.key_path() == "scale");
  CHECK_THAT(error.what(), Contains("at most 4e9 resident agents"));
}

TEST_CASE("a resolved sweep whose replicates overflow the run count is refused", "[fuzz]") {
  const std::string text =
      "format: fraudsim resolved sweep, version 1\ndesign: grid\nseed: 1\nreplicates: 9223372036854775807\n"
      "common_random_numbers: false\nruns: 1\nbase_scenario_file: x\nset: {}\nfactors: []\n"
      "points: [{point: 0, overrides: {}}, {point: 1, overrides: {}}]\nbase_scenario: x\n";
  try {
    sweep::parse_resolved_sweep(text, "sweep.yaml");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.key_path() == "runs");
    CHECK(e.origin().file == "sweep.yaml");
  }
}
