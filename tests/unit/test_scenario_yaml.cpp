// The scenario YAML layer: parsing with positions, reading through the Fields
// schema (with every kind of user error), overrides, writing and the schema table.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>

#include "input/numbers.hpp"
#include "input/yaml_fields.hpp"
#include "input/yaml_tree.hpp"

using namespace fraudsim::input;
using fraudsim::engine::Date;
using Catch::Matchers::Contains;

namespace {

struct Policy {
  std::string name;
  bool enabled = false;
  double rate = 0.0;
  std::optional<Date> until;
  std::string kind = "audit";

  void describe(Fields& f) {
    f.flag("enabled", enabled, Spec{.description = "whether the policy runs"});
    f.real("rate", rate, probability("share of cases affected per day"));
    f.optional_date("until", until, Spec{.description = "last day in force", .optional = true});
    f.text("kind", kind, Spec{.description = "what the policy does", .optional = true,
                              .choices = {"audit", "exit", "amnesty"}});
  }
  bool operator==(const Policy&) const = default;
};

struct Params {
  double population = 0;
  std::int64_t agents = 0;
  Date start;
  std::optional<Date> end;
  std::string label;
  bool verbose = false;
  double threshold = 1.0;
  struct Inner {
    double mean_delay = 0;
    std::int64_t seed = 0;
    bool operator==(const Inner&) const = default;
  } inner;
  struct Extra {
    double factor = 1.0;
    bool operator==(const Extra&) const = default;
  } extra;
  std::vector<Policy> policies;

  void describe(Fields& f) {
    f.real("population", population, nonnegative("people", "people in the model"));
    f.integer("agents", agents, positive_int("agents", "simulated agents"));
    f.date("start", start, Spec{.description = "first simulated day"});
    f.optional_date("end", end, Spec{.description = "last simulated day", .optional = true});
    f.text("label", label, Spec{.description = "a name for the run | shown in plots"});
    f.flag("verbose", verbose, Spec{.description = "log more", .optional = true});
    f.real("threshold", threshold, Spec{.unit = "euros", .description = "a bounded number", .min = -5, .max = 5,
                                        .optional = true});
    f.section("inner", Spec{.description = "a nested section"}, [&](Fields& s) {
      s.real("mean_delay", inner.mean_delay, nonnegative("days", "mean delay"));
      s.integer("seed", inner.seed, Spec{.description = "random seed"});
    });
    f.section("extra", Spec{.description = "an optional section", .optional = true},
              [&](Fields& s) { s.real("factor", extra.factor, nonnegative("", "a required key of an optional section")); });
    NamedVector<Policy> view(policies);
    f.named_sections("policies", Spec{.description = "named policies", .min = 1}, view);
  }
  bool operator==(const Params&) const = default;
};

const std::string kBase =
    "population: 1e6\n"           // 1
    "agents: 200\n"               // 2
    "start: 2021-01-01\n"         // 3
    "end: ~\n"                    // 4
    "label: baseline run\n"       // 5
    "inner:\n"                    // 6
    "  mean_delay: 3.5\n"         // 7
    "  seed: 42\n"                // 8
    "policies:\n"                 // 9
    "  exit_2021:\n"              // 10
    "    enabled: true\n"         // 11
    "    rate: 0.25\n"            // 12
    "    until: 2021-12-31\n"     // 13
    "  audit:\n"                  // 14
    "    enabled: false\n"        // 15
    "    rate: 0.1\n"             // 16
    "    kind: audit\n";          // 17

// kBase with the first occurrence of `from` replaced by `to`.
std::string with(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

Params load(const std::string& text, const std::vector<Override>& overrides = {}, Locations* locations = nullptr) {
  Params params;
  const Locations found =
      read_fields(parse_yaml_text(text, "s.yaml"), overrides, [&](Fields& f) { params.describe(f); });
  if (locations) *locations = found;
  return params;
}

InputError error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e;
  }
  FAIL("expected an InputError");
  throw std::logic_error("unreachable");
}

InputError load_error(const std::string& text, const std::vector<Override>& overrides = {}) {
  return error_of([&] { load(text, overrides); });
}

}  // namespace

TEST_CASE("InputError formats origin, key, value and problem") {
  CHECK(std::string(InputError({"a.yaml", 3, 7}, "x.y", "12", "too big").what()) == "a.yaml:3:7: x.y = 12: too big");
  CHECK(std::string(InputError({"a.yaml", 3, 7}, "x.y", "two words", "bad").what()) ==
        "a.yaml:3:7: x.y = \"two words\": bad");
  CHECK(std::string(InputError({"a.yaml", 0, 0}, "", "", "cannot read").what()) == "a.yaml: cannot read");
  CHECK(std::string(InputError({"--set", 0, 0}, "k", "", "missing").what()) == "--set: k: missing");
}

TEST_CASE("one rule for numbers in every input file") {
  CHECK(parse_number("0.25") == 0.25);
  CHECK(parse_number("-3") == -3.0);
  CHECK(parse_number("+1.5") == 1.5);  // YAML's plus sign
  CHECK(parse_number("1e6") == 1e6);
  for (const char* text : {"", "+", "+-1", "++1", "1,000", "394 000", "1.5x", ".inf", "inf", "nan", "0x10", "1e400"})
    CHECK_FALSE(parse_number(text).has_value());
  CHECK(parse_integer("42") == 42);
  CHECK(parse_integer("+7") == 7);
  CHECK(parse_integer("1e6") == 1000000);
  CHECK(parse_integer("2.0") == 2);
  CHECK(parse_integer("-9223372036854775808") == INT64_MIN);
  for (const char* text : {"2.5", "+-2", "9223372036854775808", "9.3e18", "seven"}) CHECK_FALSE(parse_integer(text).has_value());
}

TEST_CASE("shortest writes the shortest text that reads back as the same double") {
  for (const double value : {0.1, 1.0 / 3.0, 1e-300, 123456789012345678.0, -0.7, 2e15, 5e-324}) {
    CHECK(parse_number(shortest(value)) == value);
  }
  CHECK(shortest(0.1) == "0.1");
  CHECK(shortest(20000) == "20000");
  CHECK(shortest(1e300) == "1e+300");
}

TEST_CASE("closest_match suggests only plausible typos") {
  const std::vector<std::string> keys{"population", "agents", "start", "seed"};
  CHECK(closest_match("popluation", keys) == "population");
  CHECK(closest_match("sed", keys) == "seed");
  CHECK(closest_match("agnets", keys) == "agents");
  CHECK(closest_match("zzzzzzzz", keys).empty());
  CHECK(closest_match("x", {}).empty());
}

TEST_CASE("a valid file reads every field kind") {
  const Params p = load(kBase);
  CHECK(p.population == 1e6);
  CHECK(p.agents == 200);
  CHECK(p.start == Date::from_ymd(2021, 1, 1));
  CHECK_FALSE(p.end.has_value());
  CHECK(p.label == "baseline run");
  CHECK(p.threshold == 1.0);  // optional and absent: untouched
  CHECK(p.extra.factor == 1.0);
  CHECK(p.inner.mean_delay == 3.5);
  CHECK(p.inner.seed == 42);
  REQUIRE(p.policies.size() == 2);
  CHECK(p.policies[0].name == "exit_2021");  // file order
  CHECK(p.policies[0].enabled);
  CHECK(p.policies[0].until == Date::from_ymd(2021, 12, 31));
  CHECK(p.policies[1].name == "audit");
  CHECK(p.policies[1].rate == 0.1);

  CHECK(load(with("end: ~", "end: 2021-06-30")).end == Date::from_ymd(2021, 6, 30));
  CHECK(load(with("end: ~", "end:")).end == std::nullopt);
  CHECK(load(with("end: ~", "verbose: TRUE")).verbose);
  CHECK(load(with("agents: 200", "agents: 2e3")).agents == 2000);
  CHECK(load(with("label: baseline run", "label: \"quoted: yes\"")).label == "quoted: yes");
  CHECK(load(with("end: ~", "extra:\n  factor: 2.5")).extra.factor == 2.5);
}

TEST_CASE("syntax errors name file, line and column") {
  const InputError e = load_error(with("  seed: 42\n", "  seed: [42\n"));
  CHECK(e.origin().file == "s.yaml");
  CHECK(e.origin().line >= 8);
  CHECK(e.origin().column > 0);
  CHECK_THAT(e.what(), Contains("s.yaml:") && Contains("YAML syntax error"));

  const InputError tab = error_of([] { parse_yaml_text("a: 1\n b: 2\n", "t.yaml"); });
  CHECK(tab.origin().line == 2);
}

TEST_CASE("duplicate keys are rejected naming both lines") {
  const InputError nested = load_error(with("  seed: 42\n", "  seed: 42\n  seed: 43\n"));
  CHECK(nested.origin().line == 9);
  CHECK(nested.key_path() == "inner.seed");
  CHECK(std::string(nested.what()) == "s.yaml:9:3: inner.seed: duplicate key (first defined at line 8)");

  const InputError top = load_error(kBase + "agents: 300\n");
  CHECK(top.key_path() == "agents");
  CHECK(top.origin().line == 18);
  CHECK_THAT(top.problem(), Contains("first defined at line 2"));

  const InputError entry = load_error(kBase + "  audit:\n    enabled: true\n");
  CHECK(entry.key_path() == "policies.audit");
  CHECK_THAT(entry.problem(), Contains("line 14"));
}

TEST_CASE("more than one document, empty files and unreadable files") {
  const InputError two = error_of([] { parse_yaml_text("a: 1\n---\na: 2\n", "two.yaml"); });
  CHECK(two.origin().line == 2);
  CHECK_THAT(two.problem(), Contains("more than one YAML document"));

  const YamlNode empty = parse_yaml_text("# nothing here\n", "e.yaml");
  CHECK(empty.kind == YamlNode::Kind::null);
  const InputError missing = load_error("");
  CHECK_THAT(missing.what(), Contains("missing required key 'population'"));

  const InputError file = error_of([] { parse_yaml_file("/nonexistent/dir/scenario.yaml"); });
  CHECK(std::string(file.what()) == "/nonexistent/dir/scenario.yaml: cannot read file: No such file or directory");

  const auto path = std::filesystem::temp_directory_path() / "fraudsim_test_scenario_yaml.yaml";
  std::ofstream(path) << "a:\n  b: 'x'\n";
  const YamlNode root = parse_yaml_file(path.string());
  std::filesystem::remove(path);
  const YamlNode* b = root.find("a")->find("b");
  REQUIRE(b != nullptr);
  CHECK(b->scalar == "x");
  CHECK(b->quoted);
  CHECK(b->origin.file == path.string());
  CHECK(b->origin.line == 2);
  CHECK(b->origin.column == 6);
}

TEST_CASE("unknown keys are rejected with a suggestion") {
  const InputError nested = load_error(with("  seed: 42", "  sed: 42"));
  CHECK(nested.origin().line == 8);
  CHECK(nested.key_path() == "inner.sed");
  CHECK(nested.problem() == "unknown key; expected one of: mean_delay, seed (did you mean 'seed'?)");

  const InputError top = load_error(with("population:", "popluation:"));
  CHECK(top.key_path() == "popluation");
  CHECK_THAT(top.problem(), Contains("did you mean 'population'?"));

  const InputError none = load_error(kBase + "completely_different: 1\n");
  CHECK_THAT(none.problem(), !Contains("did you mean"));
  CHECK_THAT(none.problem(), Contains("expected one of: population, agents, start"));
}

TEST_CASE("missing required keys point at their mapping") {
  const InputError top = load_error(with("agents: 200\n", ""));
  CHECK(top.key_path() == "agents");
  CHECK(std::string(top.what()) == "s.yaml: agents: missing required key 'agents'");

  const InputError nested = load_error(with("  seed: 42\n", ""));
  CHECK(nested.key_path() == "inner.seed");
  CHECK(nested.origin().line == 6);

  const InputError entry = load_error(with("    enabled: false\n", ""));
  CHECK(entry.key_path() == "policies.audit.enabled");
  CHECK(entry.origin().line == 14);

  const InputError optional_section = load_error(with("end: ~", "extra: {}"));
  CHECK(optional_section.key_path() == "extra.factor");
}

TEST_CASE("values of the wrong type") {
  const InputError text = load_error(with("population: 1e6", "population: lots"));
  CHECK(std::string(text.what()) == "s.yaml:1:13: population = lots: expected a non-negative number (people)");

  const InputError mapping = load_error(with("agents: 200", "agents:\n  many: 1"));
  CHECK(mapping.origin().line == 2);
  CHECK(mapping.key_path() == "agents");
  CHECK(mapping.problem() == "expected a positive integer (agents), found a mapping");

  const InputError quoted = load_error(with("agents: 200", "agents: \"200\""));
  CHECK_THAT(quoted.problem(), Contains("found quoted text"));

  const InputError fraction = load_error(with("agents: 200", "agents: 2.5"));
  CHECK(fraction.value() == "2.5");

  const InputError list = load_error(with("label: baseline run", "label: [a, b]"));
  CHECK(list.problem() == "expected a text value, found a list");

  const InputError section = load_error(with("inner:\n  mean_delay: 3.5\n  seed: 42", "inner: 5"));
  CHECK(section.key_path() == "inner");
  CHECK_THAT(section.problem(), Contains("expected a mapping of keys"));

  const InputError flag = load_error(with("enabled: true", "enabled: yes"));
  CHECK(std::string(flag.what()) == "s.yaml:11:14: policies.exit_2021.enabled = yes: expected true or false");

  const InputError nan = load_error(with("mean_delay: 3.5", "mean_delay: .nan"));
  CHECK(nan.key_path() == "inner.mean_delay");
  CHECK_THAT(load_error(with("mean_delay: 3.5", "mean_delay: .inf")).problem(), Contains("non-negative number (days)"));

  const InputError top = load_error("- just\n- a list\n");
  CHECK_THAT(top.problem(), Contains("mapping of keys at the top level"));
}

TEST_CASE("numbers outside their bounds") {
  const InputError p = load_error(with("rate: 0.25", "rate: 1.5"));
  CHECK(std::string(p.what()) == "s.yaml:12:11: policies.exit_2021.rate = 1.5: expected a probability in [0, 1]");

  const InputError negative = load_error(with("population: 1e6", "population: -5"));
  CHECK(negative.problem() == "expected a non-negative number (people)");
  CHECK(negative.value() == "-5");

  CHECK(load_error(with("agents: 200", "agents: 0")).problem() == "expected a positive integer (agents)");
  CHECK(load_error(with("end: ~", "threshold: 7")).problem() == "expected a number in [-5, 5] (euros)");
  CHECK(load(with("end: ~", "threshold: +4.5")).threshold == 4.5);
}

TEST_CASE("dates must be real dates") {
  const InputError month = load_error(with("start: 2021-01-01", "start: 2021-13-01"));
  CHECK(std::string(month.what()) == "s.yaml:3:8: start = 2021-13-01: expected a real date as YYYY-MM-DD");

  const InputError day = load_error(with("until: 2021-12-31", "until: 2021-02-30"));
  CHECK(day.key_path() == "policies.exit_2021.until");
  CHECK(day.value() == "2021-02-30");
  CHECK(day.origin().line == 13);
  CHECK_THAT(day.problem(), Contains("or ~ for none"));
}

TEST_CASE("text values must be among their choices") {
  const InputError e = load_error(with("kind: audit", "kind: exitt"));
  CHECK(e.key_path() == "policies.audit.kind");
  CHECK(e.origin().line == 17);
  CHECK(e.problem() == "expected one of: audit, exit, amnesty (did you mean 'exit'?)");
}

TEST_CASE("named sections: minimum count and entry names") {
  const std::string no_policies = kBase.substr(0, kBase.find("policies:")) + "policies: {}\n";
  const InputError few = load_error(no_policies);
  CHECK(few.key_path() == "policies");
  CHECK(few.origin().line == 9);
  CHECK(few.problem() == "expected at least 1 entry, found 0");

  const InputError absent = load_error(kBase.substr(0, kBase.find("policies:")));
  CHECK(absent.problem() == "missing required key 'policies'");

  const InputError name = load_error(with("exit_2021:", "exit-2021:"));
  CHECK(name.key_path() == "policies");
  CHECK(name.value() == "exit-2021");
  CHECK_THAT(name.problem(), Contains("identifier"));
}

TEST_CASE("anchors and aliases copy the anchored value") {
  const std::string text = with("  exit_2021:\n", "  exit_2021: &base\n");
  const std::string aliased =
      text.substr(0, text.find("  audit:")) + "  audit: *base\n" + "label2: &l x\n";
  // label2 is unknown; the alias itself must still parse.
  CHECK(load_error(aliased).key_path() == "label2");

  const Params p = load(text.substr(0, text.find("  audit:")) + "  audit: *base\n");
  REQUIRE(p.policies.size() == 2);
  CHECK(p.policies[1].name == "audit");
  CHECK(p.policies[1].rate == 0.25);
  CHECK(p.policies[1].until == Date::from_ymd(2021, 12, 31));

  const YamlNode scalars = parse_yaml_text("a: &v 5\nb: *v\n", "x");
  CHECK(scalars.find("b")->scalar == "5");
}

TEST_CASE("overrides replace values, typed by the schema") {
  Locations where;
  const Params p = load(kBase,
                        {parse_override("policies.audit.rate=0.5"), parse_override("agents=1e3"),
                         parse_override("end=2021-06-30"), parse_override("label=new label"),
                         parse_override("inner.seed=7"), parse_override("inner.seed=8")},
                        &where);
  CHECK(p.policies[1].rate == 0.5);
  CHECK(p.agents == 1000);
  CHECK(p.end == Date::from_ymd(2021, 6, 30));
  CHECK(p.label == "new label");
  CHECK(p.inner.seed == 8);  // the last override of a path wins
  CHECK(where.at("policies.audit.rate").origin.file == "--set");
  CHECK(where.at("policies.audit.rate").text == "0.5");

  // Fields absent from the file, even in an absent optional section.
  const Params absent = load(kBase, {{"threshold", "-2"}, {"extra.factor", "3"}, {"verbose", "true"}});
  CHECK(absent.threshold == -2);
  CHECK(absent.extra.factor == 3);
  CHECK(absent.verbose);
  CHECK(load(with("end: ~", "end: 2021-06-30"), {{"end", "~"}}).end == std::nullopt);
}

TEST_CASE("bad overrides are rejected with the command-line origin") {
  const InputError value = load_error(kBase, {{"policies.exit_2021.enabled", "maybe"}});
  CHECK(std::string(value.what()) == "--set: policies.exit_2021.enabled = maybe: expected true or false");

  const InputError bounds = load_error(kBase, {{"policies.audit.rate", "2"}});
  CHECK(std::string(bounds.what()) == "--set: policies.audit.rate = 2: expected a probability in [0, 1]");

  const InputError unknown = load_error(kBase, {{"policies.exit_2021.enabeld", "true"}});
  CHECK(std::string(unknown.what()) ==
        "--set: policies.exit_2021.enabeld = true: unknown key path (did you mean 'policies.exit_2021.enabled'?)");

  // Overrides never add entries to a named section.
  const InputError added = load_error(kBase, {{"policies.new_one.enabled", "true"}});
  CHECK(added.key_path() == "policies.new_one.enabled");
  CHECK_THAT(added.problem(), Contains("unknown key path"));

  const InputError whole = load_error(kBase, {{"inner", "5"}});
  CHECK(whole.key_path() == "inner");
  CHECK_THAT(whole.problem(), Contains("cannot set a whole section"));
  CHECK_THAT(load_error(kBase, {{"policies.audit", "x"}}).problem(), Contains("cannot set a whole section"));

  CHECK_THAT(load_error(kBase, {{"label", "a: b"}}).problem(), Contains("single value"));
  CHECK_THAT(load_error(kBase, {{"label", "\"open"}}).problem(), Contains("not a valid YAML value"));
  CHECK_THAT(error_of([] { parse_override("agents"); }).problem(), Contains("KEY.PATH=VALUE"));
  CHECK_THAT(error_of([] { parse_override("=3"); }).problem(), Contains("key path is empty"));
  const Override spaced = parse_override(" inner.seed =4=5");
  CHECK(spaced.path == "inner.seed");
  CHECK(spaced.value == "4=5");
}

TEST_CASE("locations give the line and the text as written") {
  Locations where;
  load(kBase, {}, &where);
  CHECK(where.at("policies.exit_2021.rate").origin.line == 12);
  CHECK(where.at("policies.exit_2021.rate").origin.column == 11);
  CHECK(where.at("policies.exit_2021.rate").text == "0.25");
  CHECK(where.at("population").text == "1e6");
  CHECK(where.at("start").origin.line == 3);
  CHECK(where.at("inner.seed").origin.line == 8);
  CHECK(where.count("threshold") == 0);  // absent fields were not read
}

TEST_CASE("write_yaml round-trips every value") {
  Params original = load(kBase);
  original.population = 0.1 + 0.2;
  original.threshold = -1.0 / 3.0;
  original.inner.mean_delay = 1e-300;
  original.inner.seed = -9007199254740993;
  original.end = Date::from_ymd(2024, 2, 29);
  original.verbose = true;
  original.extra.factor = 12345678.9;
  original.policies[0].until.reset();
  original.policies[1].rate = 1.0;
  for (const std::string label : {"", "~", "null", "true", "42", "a: b", "#x", " lead", "two\nlines", "it's \"q\""}) {
    original.label = label;
    const std::string yaml = write_yaml([&](Fields& f) { original.describe(f); });
    const Params copy = load(yaml);
    INFO(yaml);
    CHECK(copy == original);
  }
  const std::string yaml = write_yaml([&](Fields& f) { original.describe(f); });
  CHECK_THAT(yaml, Contains("population: 0.30000000000000004  # people"));
  CHECK_THAT(yaml, Contains("rate: 1  # probability"));
  CHECK_THAT(yaml, Contains("until: ~"));
  CHECK_THAT(yaml, Contains("end: 2024-02-29\n"));
}

TEST_CASE("schema_markdown lists every key path") {
  Params reference = load(kBase);
  const std::string table = schema_markdown([&](Fields& f) { reference.describe(f); });
  CHECK_THAT(table, Contains("| Key | Kind | Unit | Allowed | Required | Description |"));
  CHECK_THAT(table, Contains("| `population` | number | people | >= 0 | yes | people in the model |"));
  CHECK_THAT(table, Contains("| `policies.<name>.rate` | number | probability | [0, 1] | yes |"));
  CHECK_THAT(table, Contains("| `policies.<name>.kind` | text |  | `audit`, `exit`, `amnesty` | no |"));
  CHECK_THAT(table, Contains("| `inner.seed` | integer |"));
  CHECK_THAT(table, Contains("a name for the run \\| shown in plots"));
  CHECK_THAT(table, Contains("| `policies` | named sections |  | at least 1 entry | yes |"));
}

// ---- Lists and key paths: the kinds the sweep and targets files need ---------

namespace {

struct Item {
  std::string id;
  double size = 0;
  void describe(Fields& f) {
    f.text("id", id, Spec{.description = "names the item"});
    f.real("size", size, nonnegative("", "how big"));
  }
  bool operator==(const Item&) const = default;
};

struct Keyed {
  std::string name;
  std::vector<Override> overrides;
  void describe(Fields& f) { f.key_paths(overrides, Spec{.description = "a key path and its value"}); }
};

struct Lists {
  std::vector<Item> items;
  std::vector<std::string> range;
  std::vector<Override> fixed;
  std::vector<Keyed> keyed;
  void describe(Fields& f) {
    ListOf<Item> list(items);
    f.section_list("items", Spec{.description = "the items", .min = 1, .name_key = "id"}, list);
    f.values("range", range, Spec{.description = "two ends", .min = 2, .max = 2, .optional = true, .form = "[low, high]"});
    f.section("fixed", Spec{.description = "fixed values", .optional = true},
              [&](Fields& g) { g.key_paths(fixed, Spec{.description = "a key path and its value"}); });
    NamedVector<Keyed> named(keyed);
    f.named_sections("keyed", Spec{.description = "free names", .optional = true, .any_names = true}, named);
  }
};

const std::string kLists =
    "items:\n"                                    // 1
    "  - {id: a, size: 1}\n"                      // 2
    "  - id: b\n"                                 // 3
    "    size: 2.5\n"                             // 4
    "range: [0.5, \"x\"]\n"                       // 5
    "fixed:\n"                                    // 6
    "  a.b.c: 3\n"                                // 7
    "  name: \"1\"\n"                             // 8
    "  end: ~\n"                                  // 9
    "keyed:\n"                                    // 10
    "  x.y: {p.q: true}\n"                        // 11
    "  \"two words\":\n";                         // 12

Lists load_lists(const std::string& text, Locations* locations = nullptr) {
  Lists lists;
  const Locations found = read_fields(parse_yaml_text(text, "l.yaml"), {}, [&](Fields& f) { lists.describe(f); });
  if (locations) *locations = found;
  return lists;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("lists of sections, lists of values and key paths read as written") {
  Locations where;
  const Lists lists = load_lists(kLists, &where);
  REQUIRE(lists.items.size() == 2);
  CHECK(lists.items[1] == Item{"b", 2.5});
  CHECK(lists.range == std::vector<std::string>{"0.5", "\"x\""});  // quoted text stays quoted
  REQUIRE(lists.fixed.size() == 3);
  CHECK(lists.fixed[0].path == "a.b.c");
  CHECK(lists.fixed[1].value == "\"1\"");
  CHECK(lists.fixed[2].value == "~");
  REQUIRE(lists.keyed.size() == 2);
  CHECK(lists.keyed[0].name == "x.y");
  CHECK(lists.keyed[0].overrides[0].path == "p.q");
  CHECK(lists.keyed[1].overrides.empty());
  // Entries are named by their id; values, lists and key paths where they were written.
  CHECK(where.at("items.b").origin.line == 3);
  CHECK(where.at("items.b.size").text == "2.5");
  CHECK(where.at("range").origin.line == 5);
  CHECK(where.at("range[1]").origin.column == 14);
  CHECK(where.at("fixed").origin.line == 6);
  CHECK(where.at("fixed.name").origin.line == 8);
  CHECK(where.at("fixed.end").origin.line == 9);
  CHECK(where.at("keyed.x.y.p.q").origin.line == 11);
}

TEST_CASE("lists and key paths of the wrong shape name the key, the line and what was expected") {
  const auto error = [](const std::string& text) { return error_of([&] { load_lists(text); }); };
  InputError e = error(replaced(kLists, "range: [0.5, \"x\"]", "range: [1, 2, 3]"));
  CHECK(e.origin().line == 5);
  CHECK(e.key_path() == "range");
  CHECK(e.problem() == "expected range: [low, high], found 3 values");
  e = error(replaced(kLists, "range: [0.5, \"x\"]", "range: 4"));
  CHECK(e.value() == "4");
  CHECK(e.problem() == "expected range: [low, high], found a single value");
  e = error(replaced(kLists, "range: [0.5, \"x\"]", "range: [1, [2]]"));
  CHECK(e.key_path() == "range[1]");
  CHECK(e.problem() == "expected a single value, found a list");
  e = error(replaced(kLists, "  a.b.c: 3", "  a.b.c: {d: 1}"));
  CHECK(e.key_path() == "fixed.a.b.c");
  CHECK(e.problem() == "expected a single value, found a mapping");
  e = error(replaced(kLists, "  - id: b", "  - id: a"));
  CHECK(e.origin().line == 3);
  CHECK(e.key_path() == "items.a");
  CHECK(e.problem() == "duplicate id (first defined at line 2)");
  e = error(replaced(kLists, "  - {id: a, size: 1}", "  - {id: a, sise: 1}"));
  CHECK(e.key_path() == "items.a.sise");
  CHECK_THAT(e.problem(), Contains("did you mean 'size'"));
  e = error(replaced(kLists, "  - {id: a, size: 1}", "  - {size: 1}"));
  CHECK(e.key_path() == "items[0].id");
  CHECK(e.problem() == "missing required key 'id'");
  e = error(replaced(kLists, "  - {id: a, size: 1}", "  - 7"));
  CHECK(e.key_path() == "items[0]");
  CHECK(e.problem() == "expected a mapping of keys, found a single value");
  e = error("items: {a: 1}\n");
  CHECK(e.problem() == "expected a list of entries, found a mapping");
  e = error("items: []\n");
  CHECK(e.problem() == "expected at least 1 entry, found 0");
  e = error(replaced(kLists, "  \"two words\":", "  ~:"));
  CHECK(e.key_path() == "keyed");
  CHECK(e.problem() == "an entry needs a name");
}

TEST_CASE("write_yaml and schema_markdown take lists and key paths") {
  Lists original = load_lists(kLists);
  const std::string yaml = write_yaml([&](Fields& f) { original.describe(f); });
  INFO(yaml);
  const Lists copy = load_lists(yaml);
  CHECK(copy.items == original.items);
  CHECK(copy.range == original.range);
  REQUIRE(copy.fixed.size() == original.fixed.size());
  for (std::size_t i = 0; i < copy.fixed.size(); ++i) {
    CHECK(copy.fixed[i].path == original.fixed[i].path);
    CHECK(copy.fixed[i].value == original.fixed[i].value);
  }
  REQUIRE(copy.keyed.size() == 2);
  CHECK(copy.keyed[1].name == "two words");
  const std::string table = schema_markdown([&](Fields& f) { original.describe(f); });
  CHECK_THAT(table, Contains("| `items` | list |  | at least 1 entry | yes | the items |"));
  CHECK_THAT(table, Contains("| `items[].size` | number |"));
  CHECK_THAT(table, Contains("| `range` | values |  | `[low, high]` | no | two ends |"));
  CHECK_THAT(table, Contains("| `fixed.<key path>` | value |"));
  CHECK(leaf_kinds([&](Fields& f) { original.describe(f); }).empty());  // nothing an override could name
}
