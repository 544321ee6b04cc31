// Victimisation as a process: cons of several payments, warnings that stop
// them, reports that grow with the loss, and a record apart from the
// victimisation (docs/model.md, 7.11a).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_helpers.hpp"

using namespace fraudsim;
using fraudsim::testing::reference_scenario;
using fraudsim::testing::total;
using model::Series;

namespace {

const std::vector<std::string> categories = {"fake_investment",      "fake_online_loan",   "fake_customer_service",
                                             "impersonating_police", "virtual_kidnapping", "virtual_currency_investment",
                                             "ai_impersonation"};

// Sums of some series over seeds 1..seeds, from `from_date` to the end.
std::map<Series, std::int64_t> run_seeds(const std::vector<input::Override>& overrides, const std::vector<Series>& series,
                                         int seeds = 3, const std::string& from_date = "2019-01-01") {
  std::map<Series, std::int64_t> sum;
  for (int seed = 1; seed <= seeds; ++seed) {
    model::Simulation simulation = run::simulation_of(reference_scenario(overrides), static_cast<std::uint64_t>(seed));
    simulation.run();
    const auto from = static_cast<std::size_t>(engine::Date::parse(from_date).value() - simulation.calendar().start());
    for (const Series s : series) sum[s] += total(simulation.daily_counts(), s, from);
  }
  return sum;
}

std::vector<input::Override> for_every_category(const std::string& key, const std::string& value) {
  std::vector<input::Override> out;
  for (const auto& name : categories) out.push_back({"fraud_categories." + name + "." + key, value});
  return out;
}

}  // namespace

TEST_CASE("scripts of many payments give more payments per victimisation than one-payment scripts", "[victimisation]") {
  const std::vector<Series> series = {Series::payments, Series::victimisations, Series::losses_yuan};
  const auto single = run_seeds(for_every_category("payments_expected", "1"), series, 2);
  const auto many = run_seeds(for_every_category("payments_expected", "4"), series, 2);
  REQUIRE(single.at(Series::victimisations) > 100);
  // One expected payment: the con never goes on.
  CHECK(single.at(Series::payments) == single.at(Series::victimisations));
  const double per_con = static_cast<double>(many.at(Series::payments)) / many.at(Series::victimisations);
  INFO("payments per victimisation with 4 expected: " << per_con);
  // Warnings stop some cons, so fewer than 4, but far more than one.
  CHECK(per_con > 2.0);
  CHECK(per_con < 4.0);
  CHECK(many.at(Series::losses_yuan) > 2 * single.at(Series::losses_yuan));
}

TEST_CASE("stronger early warning lowers losses and victims beyond seed noise", "[victimisation][interventions]") {
  const std::vector<Series> series = {Series::losses_yuan, Series::victims, Series::victimisations,
                                      Series::payments_prevented_yuan, Series::people_warned};
  const std::vector<input::Override> off = {{"interventions.early_warning_baseline.enabled", "false"},
                                            {"interventions.push_warnings_2021.enabled", "false"},
                                            {"interventions.warning_sms_12381.enabled", "false"}};
  const std::vector<input::Override> strong = {{"interventions.push_warnings_2021.detection_probability", "0.95"},
                                               {"interventions.push_warnings_2021.dissuasion_probability", "0.9"},
                                               {"interventions.push_warnings_2021.lead_warning_share", "0.1"}};
  const auto without = run_seeds(off, series, 3, "2021-06-01");
  const auto with = run_seeds({}, series, 3, "2021-06-01");
  const auto stronger = run_seeds(strong, series, 3, "2021-06-01");
  INFO("losses without " << without.at(Series::losses_yuan) << ", with " << with.at(Series::losses_yuan) << ", stronger "
                         << stronger.at(Series::losses_yuan));
  INFO("victimisations without " << without.at(Series::victimisations) << ", with " << with.at(Series::victimisations)
                                 << ", stronger " << stronger.at(Series::victimisations));
  CHECK(without.at(Series::payments_prevented_yuan) == 0);
  CHECK(without.at(Series::people_warned) == 0);
  CHECK(with.at(Series::losses_yuan) < 0.8 * without.at(Series::losses_yuan));
  CHECK(stronger.at(Series::losses_yuan) < 0.8 * with.at(Series::losses_yuan));
  CHECK(with.at(Series::victims) < 0.9 * without.at(Series::victims));
  CHECK(stronger.at(Series::victimisations) < 0.9 * with.at(Series::victimisations));
}

TEST_CASE("victims report larger losses more", "[victimisation][reporting]") {
  const std::vector<Series> series = {Series::registered_cases, Series::unrecorded_reports,
                                      Series::unreported_victimisations};
  auto reported_share = [&](const std::string& elasticity, const std::string& loss_factor) {
    std::vector<input::Override> overrides = {{"victims.report_loss_elasticity", elasticity}};
    const scenario::Scenario defaults = reference_scenario();
    for (std::size_t k = 0; k < categories.size(); ++k)
      overrides.push_back({"fraud_categories." + categories[k] + ".loss_median_yuan",
                           std::to_string(defaults.fraud_categories[k].loss_median_yuan * std::stod(loss_factor))});
    const auto sum = run_seeds(overrides, series, 2);
    const double reported = static_cast<double>(sum.at(Series::registered_cases) + sum.at(Series::unrecorded_reports));
    return reported / (reported + static_cast<double>(sum.at(Series::unreported_victimisations)));
  };
  const double small = reported_share("0.3", "0.2"), large = reported_share("0.3", "5");
  INFO("reported share, small losses " << small << ", large " << large);
  // (25)^0.3 = 2.6 times the probability, short of the cap at 1.
  CHECK(large > 1.5 * small);
  const double flat_small = reported_share("0", "0.2"), flat_large = reported_share("0", "5");
  CHECK(std::abs(flat_large - flat_small) < 0.1 * flat_small);
}

TEST_CASE("recording practice moves the record, not the victimisation", "[victimisation][recording]") {
  const std::vector<Series> series = {Series::registered_cases, Series::unrecorded_reports, Series::victimisations};
  // The reference scenario with one more intervention (interventions is its last section).
  std::ifstream reference(testing::source_path("scenarios/china_2019_2024.yaml"));
  std::stringstream text;
  text << reference.rdbuf()
       << "\n  fewer_cases:\n    type: recording_practice\n    start: 2020-01-01\n    recording_probability_change: -0.15\n";
  const std::string path = (std::filesystem::temp_directory_path() / "fraudsim_test_recording_practice.yaml").string();
  std::ofstream(path) << text.str();
  auto sums = [&](const std::string& scenario_path) {
    std::map<Series, std::int64_t> sum;
    for (int seed = 1; seed <= 2; ++seed) {
      model::Simulation simulation =
          run::simulation_of(scenario::load_scenario(scenario_path, {{"scale", "20000"}, {"victims.recording_probability", "0.25"}}),
                             static_cast<std::uint64_t>(seed));
      simulation.run();
      const auto from = static_cast<std::size_t>(engine::Date::parse("2020-01-01").value() - simulation.calendar().start());
      for (const Series s : series) sum[s] += total(simulation.daily_counts(), s, from);
    }
    return sum;
  };
  const auto usual = sums(testing::source_path("scenarios/china_2019_2024.yaml"));
  const auto fewer = sums(path);
  std::filesystem::remove(path);
  INFO("registered usual " << usual.at(Series::registered_cases) << ", fewer " << fewer.at(Series::registered_cases));
  // 0.25 (set here, whatever the reference's fitted share) - 0.15: 40 % of the reports recorded before.
  CHECK(fewer.at(Series::registered_cases) < 0.6 * usual.at(Series::registered_cases));
  CHECK(fewer.at(Series::unrecorded_reports) > usual.at(Series::unrecorded_reports));
  const double change = static_cast<double>(fewer.at(Series::victimisations)) / usual.at(Series::victimisations) - 1.0;
  CHECK(std::abs(change) < 0.05);
}

TEST_CASE("every victimisation is recorded, unrecorded, unreported or still under way", "[victimisation][dark_figure]") {
  model::Simulation simulation = run::simulation_of(reference_scenario(), 7);
  simulation.run();
  const auto& days = simulation.daily_counts();
  CHECK(total(days, Series::victimisations) ==
        total(days, Series::registered_cases) + total(days, Series::unrecorded_reports) +
            total(days, Series::unreported_victimisations) + static_cast<std::int64_t>(simulation.cons_under_way()));
  CHECK(total(days, Series::unreported_victimisations) > 0);
  CHECK(total(days, Series::unrecorded_reports) > 0);
  CHECK(total(days, Series::payments) > total(days, Series::victimisations));
  CHECK(total(days, Series::victimisations) >= total(days, Series::victims));
}

TEST_CASE("warnings from leads reach people before deception and fewer are deceived", "[victimisation][warnings]") {
  const std::vector<Series> series = {Series::people_warned, Series::victimisations, Series::contacts_delivered,
                                      Series::payments, Series::people_dissuaded, Series::payments_failed_no_card};
  const std::vector<input::Override> no_leads = {{"interventions.push_warnings_2021.lead_warning_share", "0"},
                                                 {"interventions.warning_sms_12381.lead_warning_share", "0"},
                                                 {"victims.awareness_after_warning", "0.5"}};
  const std::vector<input::Override> many_leads = {{"interventions.push_warnings_2021.lead_warning_share", "0.3"},
                                                   {"interventions.warning_sms_12381.lead_warning_share", "0"},
                                                   {"victims.awareness_after_warning", "0.5"}};
  const auto without = run_seeds(no_leads, series, 3, "2021-06-01");
  const auto with = run_seeds(many_leads, series, 3, "2021-06-01");
  INFO("victimisations without leads " << without.at(Series::victimisations) << ", with " << with.at(Series::victimisations));
  // Without leads only people flagged at a payment due are warned.
  CHECK(without.at(Series::people_warned) <= without.at(Series::payments) + without.at(Series::people_dissuaded) +
                                                 without.at(Series::payments_failed_no_card));
  // With them, of the order of the share of delivered contacts.
  CHECK(with.at(Series::people_warned) > 0.2 * with.at(Series::contacts_delivered));
  CHECK(with.at(Series::victimisations) < 0.85 * without.at(Series::victimisations));
}
