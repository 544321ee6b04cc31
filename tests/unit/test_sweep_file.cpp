// The sweep file: errors that name file, line, key path and value; the
// resolved sweep read back; run numbering and shards.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "sweep/runner.hpp"
#include "sweep/seeds.hpp"
#include "sweep/sweep.hpp"
#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace fraudsim;
using fraudsim::testing::source_path;

namespace {

// Writes a sweep file whose first line names the reference scenario; returns its path.
std::string write_sweep(const std::string& body) {
  const fs::path dir = fs::temp_directory_path() / ("fraudsim_sweep_file_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "sweep.yaml";
  std::ofstream(file) << "base_scenario: " << source_path("scenarios/china_2019_2024.yaml") << "\n" << body;
  return file.string();
}

struct Expected {
  int line;
  std::string key_path, value, fragment;
};

void expect_error(const std::string& body, const Expected& expected) {
  const std::string file = write_sweep(body);
  try {
    sweep::load_sweep(file);
    FAIL("no error for:\n" << body);
  } catch (const input::InputError& e) {
    INFO(e.what());
    CHECK(e.origin().file == file);
    CHECK(e.origin().line == expected.line);
    CHECK(e.key_path() == expected.key_path);
    CHECK(e.value() == expected.value);
    CHECK_THAT(e.what(), Catch::Contains(expected.fragment));
  }
}

const std::string header = "seed: 1\nreplicates: 2\nset:\n  scale: 20000\n";  // lines 2-5

}  // namespace

TEST_CASE("sweep file errors name the file, line, key path and value", "[sweep][errors]") {
  SECTION("a factor that is not a key path of the scenario") {
    expect_error(header +
                     "design:\n  type: grid\n  factors:\n    interventions.exit_controls_2021.block_probabilty:\n"
                     "      values: [0.5]\n",
                 {9, "interventions.exit_controls_2021.block_probabilty", "",
                  "did you mean 'interventions.exit_controls_2021.block_probability'"});
  }
  SECTION("a grid value outside the field's bounds") {
    expect_error(header +
                     "design:\n  type: grid\n  factors:\n    interventions.exit_controls_2021.block_probability:\n"
                     "      values: [0.5,\n               1.5]\n",
                 {11, "interventions.exit_controls_2021.block_probability", "1.5", "expected a probability in [0, 1]"});
  }
  SECTION("a range whose end lies outside the simulated period") {
    expect_error(header +
                     "design:\n  type: latin_hypercube\n  points: 4\n  factors:\n"
                     "    interventions.exit_controls_2021.start: {range: [2021-01-01, 2026-01-01]}\n",
                 {10, "interventions.exit_controls_2021.start", "2026-01-01", "entirely outside the simulated period"});
  }
  SECTION("a range on a text field") {
    expect_error(header + "design:\n  type: sobol\n  points: 4\n  factors:\n    name:\n      range: [a, b]\n",
                 {11, "name", "", "a range needs a number or date field"});
  }
  SECTION("a design type that does not exist") {
    expect_error(header + "design:\n  type: latin_hypercub\n",
                 {7, "design.type", "latin_hypercub", "did you mean 'latin_hypercube'"});
  }
  SECTION("a Latin hypercube without points") {
    expect_error(header + "design:\n  type: latin_hypercube\n  factors:\n    scale: {range: [1000, 2000]}\n",
                 {7, "design.points", "", "needs points: N"});
  }
  SECTION("points given to a saltelli design") {
    expect_error(header + "design:\n  type: saltelli\n  points: 8\n  factors:\n    scale: {range: [1000, 2000]}\n",
                 {8, "design.points", "8", "a saltelli design takes samples"});
  }
  SECTION("a morris design without trajectories") {
    expect_error(header + "design:\n  type: morris\n  factors:\n    scale: {range: [1000, 2000]}\n",
                 {7, "design.trajectories", "", "needs trajectories: r"});
  }
  SECTION("an odd number of Morris levels") {
    expect_error(header + "design:\n  type: morris\n  trajectories: 4\n  levels: 5\n  factors:\n"
                          "    scale: {range: [1000, 2000]}\n",
                 {9, "design.levels", "5", "expected an even number of levels"});
  }
  SECTION("trajectories given to a Latin hypercube") {
    expect_error(header + "design:\n  type: latin_hypercube\n  points: 4\n  trajectories: 4\n  factors:\n"
                          "    scale: {range: [1000, 2000]}\n",
                 {9, "design.trajectories", "4", "only a morris design takes trajectories"});
  }
  SECTION("a variant overriding an unknown key") {
    expect_error(header +
                     "design:\n  type: variants\n  variants:\n    baseline: {}\n"
                     "    no_exit: {interventions.exit_controls_2021.enabld: false}\n",
                 {10, "interventions.exit_controls_2021.enabld", "false", "variant no_exit"});
  }
  SECTION("a fixed value the scenario refuses") {
    expect_error("seed: 1\nreplicates: 2\nset:\n  scale: -3\ndesign:\n  type: variants\n  variants:\n    baseline:\n",
                 {5, "scale", "-3", "expected a positive integer"});
  }
  SECTION("the seed as a factor") {
    expect_error(header + "design:\n  type: grid\n  factors:\n    seed: {values: [1, 2]}\n",
                 {9, "seed", "", "use replicates"});
  }
  SECTION("a misspelt key in a factor") {
    expect_error(header + "design:\n  type: grid\n  factors:\n    scale:\n      vals: [1000, 2000]\n",
                 {10, "design.factors.scale.vals", "", "did you mean 'values'"});
  }
  SECTION("a list in a grid value") {
    expect_error(header + "design:\n  type: grid\n  factors:\n    scale: {values: [1000,\n      [2000]]}\n",
                 {10, "design.factors.scale.values[1]", "", "expected a single value, found a list"});
  }
  SECTION("a mapping under set:") {
    expect_error("seed: 1\nreplicates: 2\nset:\n  scale: {a: 1}\ndesign:\n  type: variants\n  variants:\n    b:\n",
                 {5, "set.scale", "", "expected a single value, found a mapping"});
  }
  SECTION("a variant without a name") {
    expect_error(header + "design:\n  type: variants\n  variants:\n    ~: {scale: 1000}\n",
                 {9, "design.variants", "", "an entry needs a name"});
  }
  SECTION("an unknown key of the sweep file") {
    expect_error("seed: 1\nreplicate: 2\n", {3, "replicate", "", "did you mean 'replicates'"});
  }
}

TEST_CASE("a missing base scenario is named at its line in the sweep file", "[sweep][errors]") {
  const fs::path dir = fs::temp_directory_path() / ("fraudsim_sweep_base_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "s.yaml") << "base_scenario: nothere.yaml\nseed: 1\nreplicates: 1\n"
                                   "design: {type: variants, variants: {baseline: {}}}\n";
  try {
    sweep::load_sweep((dir / "s.yaml").string());
    FAIL("no error");
  } catch (const input::InputError& e) {
    CHECK(e.origin().line == 1);
    CHECK(e.key_path() == "base_scenario");
    CHECK(e.value() == "nothere.yaml");
    CHECK_THAT(e.what(), Catch::Contains("relative to the sweep file"));
  }
  fs::remove_all(dir);
}

TEST_CASE("a design with continuous factors rounds integers and dates", "[sweep]") {
  const sweep::Sweep s = sweep::load_sweep(
      write_sweep("seed: 3\nreplicates: 2\ndesign:\n  type: latin_hypercube\n  points: 5\n  factors:\n"
                  "    scale: {range: [15000, 25000]}\n"
                  "    interventions.exit_controls_2021.start: {range: [2020-01-01, 2022-01-01]}\n"
                  "    interventions.exit_controls_2021.block_probability: {range: [0.25, 0.75]}\n"));
  REQUIRE(s.points.size() == 5);
  REQUIRE(s.num_runs() == 10);
  CHECK(s.factors[0].numeric);
  CHECK_FALSE(s.factors[1].numeric);
  for (const auto& point : s.points) {
    REQUIRE(point.overrides.size() == 3);
    CHECK(point.overrides[0].value.find('.') == std::string::npos);  // an integer
    CHECK(engine::Date::parse(point.overrides[1].value).has_value());
    const double p = sweep::numeric_value(point.overrides[2].value);
    CHECK(p >= 0.25);
    CHECK(p < 0.75);
  }
}

TEST_CASE("the resolved sweep reads back to the same sweep, and runs are numbered by point and replicate", "[sweep]") {
  const sweep::Sweep s = sweep::load_sweep(
      write_sweep(header + "design:\n  type: saltelli\n  samples: 4\n  factors:\n"
                           "    interventions.exit_controls_2021.block_probability: {range: [0.3, 0.9]}\n"
                           "    interventions.exit_controls_2021.start: {range: [2020-06-01, 2021-06-01]}\n"));
  REQUIRE(s.points.size() == 4 * (2 + 2));
  const std::string text = s.resolved_yaml();
  const sweep::Sweep back = sweep::parse_resolved_sweep(text, "sweep.yaml");
  CHECK(back.resolved_yaml() == text);
  CHECK(back.id() == s.id());
  CHECK(s.id().size() == 16);

  const sweep::RunPlan plan = s.run(7);
  CHECK(plan.point == 3);
  CHECK(plan.replicate == 1);
  CHECK(plan.seed == sweep::run_seed(1, 7));
  // The run's scenario: the base, the fixed and the point's overrides, and the run seed.
  const scenario::Scenario scenario = s.scenario(7);
  std::vector<input::Override> overrides = {{"scale", "20000"}};
  for (const auto& item : s.points[3].overrides) overrides.push_back(item);
  overrides.push_back({"seed", std::to_string(plan.seed)});
  CHECK(scenario::resolved_yaml(scenario) ==
        scenario::resolved_yaml(scenario::load_scenario(source_path("scenarios/china_2019_2024.yaml"), overrides)));
}

TEST_CASE("a morris sweep reads back to the same sweep, its points moving one factor at a time", "[sweep][morris]") {
  const sweep::Sweep s = sweep::load_sweep(
      write_sweep(header + "design:\n  type: morris\n  trajectories: 3\n  factors:\n"
                           "    interventions.exit_controls_2021.block_probability: {range: [0.3, 0.9]}\n"
                           "    interventions.exit_controls_2021.smuggling_block_probability: {range: [0.4, 0.8]}\n"));
  REQUIRE(s.points.size() == 3 * (2 + 1));
  for (std::size_t i = 0; i < s.points.size(); ++i) {
    const sweep::DesignPoint& point = s.points[i];
    CHECK(point.morris_trajectory == static_cast<std::int64_t>(i / 3));
    if (i % 3 == 0) continue;
    const auto f = static_cast<std::size_t>(point.morris_factor);
    const sweep::DesignPoint& before = s.points[i - 1];
    const double change =
        sweep::numeric_value(point.overrides[f].value) - sweep::numeric_value(before.overrides[f].value);
    const double range = f == 0 ? 0.6 : 0.4;
    CHECK(change == Approx(point.morris_step * range));
    CHECK(point.overrides[1 - f].value == before.overrides[1 - f].value);
  }
  const std::string text = s.resolved_yaml();
  CHECK(sweep::parse_resolved_sweep(text, "sweep.yaml").resolved_yaml() == text);
}

TEST_CASE("a resolved sweep of more values than a hand-written file may hold reads back", "[sweep]") {
  sweep::Sweep s;
  s.design = "morris";
  s.seed = 3;
  s.base_scenario = "name: x\n";
  for (int f = 0; f < 100; ++f) s.factors.push_back({"factor_" + std::to_string(f), true});
  for (int p = 0; p < 1100; ++p) {  // 110,000 overrides, beyond input::max_yaml_values
    sweep::DesignPoint point{.morris_trajectory = p / 101, .morris_factor = p % 101 - 1, .morris_step = 2.0 / 3};
    for (const sweep::Factor& factor : s.factors) point.overrides.push_back({factor.path, std::to_string(p)});
    s.points.push_back(std::move(point));
  }
  const std::string text = s.resolved_yaml();
  const sweep::Sweep back = sweep::parse_resolved_sweep(text, "sweep.yaml");
  CHECK(back.points.size() == 1100);
  CHECK(back.points[1099].overrides[99].value == "1099");
  CHECK(back.points[5].morris_step == Approx(2.0 / 3));
  CHECK(back.resolved_yaml() == text);
}

TEST_CASE("common random numbers give replicate r of every point the same seed", "[sweep][seeds]") {
  const sweep::Sweep s = sweep::load_sweep(
      write_sweep("seed: 5\nreplicates: 3\ncommon_random_numbers: true\ndesign:\n  type: variants\n  variants:\n"
                  "    baseline:\n    no_exit: {interventions.exit_controls_2021.enabled: false}\n"));
  REQUIRE(s.num_runs() == 6);
  for (std::int64_t r = 0; r < 3; ++r) {
    CHECK(s.run(r).seed == s.run(3 + r).seed);
    CHECK(s.run(r).seed == sweep::run_seed(5, static_cast<std::uint64_t>(r)));
  }
  CHECK(s.run(0).seed != s.run(1).seed);
}

TEST_CASE("shards come from --shard or the Slurm array variables", "[sweep][shard]") {
  CHECK(sweep::parse_shard("2/4").index == 2);
  CHECK(sweep::parse_shard("2/4").count == 4);
  for (const char* bad : {"4/4", "-1/4", "1/0", "1", "1/4x", "a/b"})
    CHECK_THROWS_AS(sweep::parse_shard(bad), input::InputError);

  ::unsetenv("SLURM_ARRAY_TASK_ID");
  CHECK_FALSE(sweep::shard_from_environment().has_value());
  ::setenv("SLURM_ARRAY_TASK_ID", "7", 1);
  ::setenv("SLURM_ARRAY_TASK_MIN", "5", 1);
  ::setenv("SLURM_ARRAY_TASK_MAX", "8", 1);
  ::unsetenv("SLURM_ARRAY_TASK_COUNT");
  ::unsetenv("SLURM_ARRAY_TASK_STEP");
  auto shard = sweep::shard_from_environment();
  REQUIRE(shard.has_value());
  CHECK(shard->index == 2);
  CHECK(shard->count == 4);
  ::setenv("SLURM_ARRAY_TASK_COUNT", "4", 1);
  CHECK(sweep::shard_from_environment()->count == 4);
  ::unsetenv("SLURM_ARRAY_TASK_MIN");
  CHECK_THROWS_AS(sweep::shard_from_environment(), input::InputError);
  for (const char* name : {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT"}) ::unsetenv(name);
}

TEST_CASE("switch_off_each_intervention adds a variant for each intervention switched on", "[sweep]") {
  const sweep::Sweep s = sweep::load_sweep(write_sweep(
      "seed: 5\nreplicates: 1\nset:\n  interventions.exit_controls_2021.enabled: false\ndesign:\n  type: variants\n"
      "  switch_off_each_intervention: true\n  variants:\n    baseline:\n"));
  const scenario::Scenario reference = testing::reference_scenario();
  REQUIRE(s.points.size() == reference.interventions.items().size());  // the baseline, and all but one
  CHECK(s.points[0].variant == "baseline");
  for (std::size_t p = 1; p < s.points.size(); ++p) {
    REQUIRE(s.points[p].overrides.size() == 1);
    const std::string name = s.points[p].variant.substr(std::string("without_").size());
    CHECK(s.points[p].variant == "without_" + name);
    CHECK(name != "exit_controls_2021");
    CHECK(s.points[p].overrides[0].path == "interventions." + name + ".enabled");
    CHECK(s.points[p].overrides[0].value == "false");
  }
  expect_error("seed: 1\nreplicates: 1\ndesign:\n  type: grid\n  switch_off_each_intervention: true\n",
               {6, "design.switch_off_each_intervention", "true", "only a variants design"});
}
