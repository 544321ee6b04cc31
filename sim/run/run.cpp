#include "run/run.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <stdexcept>
#include <map>

#include "engine/stop.hpp"
#include "fraudsim/version.hpp"
#include "output/provenance.hpp"

namespace fraudsim::run {

using model::Aggregation;
using model::series_info;

namespace {

// One measure of a by-month table of rows (hops, routes) as a [row, month]
// column in real units.
template <class ByMonth, class Flows>
std::vector<std::int64_t> by_row_and_month(const ByMonth& by_month, std::size_t rows, std::int64_t Flows::*measure,
                                           std::int64_t scale) {
  const std::size_t months = by_month.size();
  std::vector<std::int64_t> out(rows * months);
  for (std::size_t m = 0; m < months; ++m)
    for (std::size_t r = 0; r < rows; ++r) out[r * months + m] = by_month[m][r].*measure * scale;
  return out;
}

std::string date_or_empty(const engine::Calendar& calendar, std::int32_t day) {
  return day < 0 ? "" : calendar.date(day).iso();
}

// Victims and cases by fraud category and by age band, [item, month], in
// real units: the patterns of who is defrauded by what (docs/output.md).
void add_victim_tables(const scenario::Scenario& s, const model::Simulation& simulation, output::RunOutput& out) {
  const auto months = static_cast<std::size_t>(simulation.calendar().num_months());
  const model::VictimBreakdowns& b = simulation.victim_breakdowns();
  const auto real = [&](const model::MonthlyBreakdown& counts) {
    std::vector<std::int64_t> values = counts.values();
    for (std::int64_t& v : values) v *= s.scale;
    return values;
  };
  std::vector<std::string> categories, bands;
  for (const auto& c : s.fraud_categories) categories.push_back(c.name);
  for (const auto& a : s.age_bands) bands.push_back(a.name);
  out.tables.push_back(
      {"fraud_categories", "victimisations, losses and registered cases by fraud category, [category, month]",
       {{"name", "", "fraud category (script)", categories},
        {"victimisations", "people", "people deceived who paid at least once, by the month of the first payment",
         real(b.victimisations_by_category), months},
        {"losses_yuan", "yuan", "money paid by victims, by the month of the payment", real(b.losses_by_category),
         months},
        {"registered_cases", "cases", "cases the police registered, by the month of registration",
         real(b.registered_by_category), months}}});
  out.tables.push_back(
      {"age_bands", "victimisations and registered cases by the victim's age band, [age band, month]",
       {{"name", "", "age band", bands},
        {"victimisations", "people", "people deceived who paid at least once, by the month of the first payment",
         real(b.victimisations_by_age_band), months},
        {"registered_cases", "cases", "cases the police registered, by the month of registration",
         real(b.registered_by_age_band), months}}});
}

// Workers by origin and jurisdiction at month end; the foreign victim
// markets by month (docs/output.md).
void add_origin_and_market_tables(const scenario::Scenario& s, const model::Simulation& simulation,
                                  output::RunOutput& out) {
  const auto months = static_cast<std::size_t>(simulation.calendar().num_months());
  const std::int64_t scale = s.scale;
  std::vector<std::string> origin_names{"home"};
  for (const auto& o : s.origins) origin_names.push_back(o.name);
  std::vector<std::string> row_origin, row_jurisdiction;
  for (const auto& origin : origin_names)
    for (const auto& j : s.jurisdictions) {
      row_origin.push_back(origin);
      row_jurisdiction.push_back(j.name);
    }
  std::vector<std::int64_t> workforce(row_origin.size() * months, 0);
  for (std::size_t m = 0; m < months; ++m) {
    const auto& snapshot = simulation.origin_workforce_by_month()[m];
    for (std::size_t row = 0; row < snapshot.size(); ++row) workforce[row * months + m] = snapshot[row] * scale;
  }
  out.tables.push_back({"workforce_by_origin",
                        "workers in compounds by origin and jurisdiction at month end; one row per (origin, jurisdiction), [row, month]",
                        {{"origin", "", "where the workers come from: home (the home country's residents) or a name under origins", row_origin},
                         {"jurisdiction", "", "where their compounds are at month end", row_jurisdiction},
                         {"workforce", "people", "workers at month end, [row, month]", workforce, months}}});

  if (s.markets.empty()) return;
  const model::MarketsModule& markets = simulation.markets();
  const std::size_t n = s.markets.size();
  std::vector<std::string> names;
  std::vector<double> population;
  for (const auto& m : s.markets) {
    names.push_back(m.name);
    population.push_back(m.population);
  }
  std::vector<std::int64_t> victims(n * months), losses(n * months), reports(n * months);
  std::vector<double> effort(n * months);
  for (std::size_t month = 0; month < months; ++month)
    for (std::size_t m = 0; m < n; ++m) {
      victims[m * months + month] = markets.victims_by_month()[month][m] * scale;
      losses[m * months + month] = markets.losses_yuan_by_month()[month][m] * scale;
      reports[m * months + month] = markets.reports_by_month()[month][m] * scale;
      effort[m * months + month] = markets.effort_share_by_month()[month][1 + m];
    }
  out.tables.push_back({"markets", "the foreign victim markets by month; one row per market, [market, month]",
                        {{"name", "", "market, as named under markets", names},
                         {"population", "people", "people in the market", population},
                         {"victims", "people", "people deceived in the month, [market, month]", victims, months},
                         {"losses_yuan", "yuan", "money they paid, converted to yuan, [market, month]", losses, months},
                         {"reported_cases", "cases", "victims who reported to their police, [market, month]", reports, months},
                         {"effort_share", "share", "share of all the compounds' scam attempts aimed at it at month end (the rest at the home country), [market, month]", effort, months}}});
}

// Compounds, jurisdictions, the laundering chain, events and (when recorded)
// every transfer: the tables beside the series (docs/output.md).
void add_chain_tables(const scenario::Scenario& s, const model::Simulation& simulation, output::RunOutput& out) {
  const model::World& w = simulation.world();
  const engine::Calendar& calendar = simulation.calendar();
  const auto months = static_cast<std::size_t>(calendar.num_months());
  const std::int64_t scale = s.scale;

  std::vector<std::string> jurisdiction_names, group_names, compound_names;
  for (const auto& j : s.jurisdictions) jurisdiction_names.push_back(j.name);
  std::vector<int> groups_in(jurisdiction_names.size(), 0);
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    const auto j = w.groups.home_jurisdiction[g];
    group_names.push_back(jurisdiction_names[j] + "_group_" + std::to_string(++groups_in[j]));
  }
  const auto& cps = w.compounds;
  const auto n = static_cast<std::size_t>(cps.size());
  std::vector<std::string> compound_group, first_jurisdiction, opened, closed;
  for (std::size_t c = 0; c < n; ++c) {
    compound_names.push_back(jurisdiction_names[cps.first_jurisdiction[c]] + "_" + std::to_string(cps.serial[c]));
    compound_group.push_back(group_names[cps.group[c]]);
    first_jurisdiction.push_back(jurisdiction_names[cps.first_jurisdiction[c]]);
    opened.push_back(date_or_empty(calendar, cps.opened_day[c]));
    closed.push_back(date_or_empty(calendar, cps.closed_day[c]));
  }
  // Month-end snapshots, padded for compounds that did not exist yet.
  std::vector<std::int64_t> workforce(n * months, 0), where(n * months, -1);
  std::vector<std::int64_t> by_jurisdiction(jurisdiction_names.size() * months, 0),
      open_in(jurisdiction_names.size() * months, 0);
  for (std::size_t m = 0; m < months; ++m) {
    const auto& snapshot = simulation.compound_workforce_by_month()[m];
    const auto& located = simulation.compound_jurisdiction_by_month()[m];
    for (std::size_t c = 0; c < snapshot.size(); ++c) {
      workforce[c * months + m] = snapshot[c] * scale;
      where[c * months + m] = located[c];
      if (located[c] >= 0) {
        by_jurisdiction[static_cast<std::size_t>(located[c]) * months + m] += snapshot[c] * scale;
        open_in[static_cast<std::size_t>(located[c]) * months + m] += 1;
      }
    }
  }
  out.tables.push_back({"compounds", "every compound that operated during the run; [compound, month] at month end",
                        {{"name", "", "jurisdiction it opened in and its number there", compound_names},
                         {"group", "", "controlling family crime group", compound_group},
                         {"jurisdiction_at_start", "", "jurisdiction it opened in", first_jurisdiction},
                         {"opened", "date", "day it opened (empty: open at the start)", opened},
                         {"closed", "date", "day it closed (empty: still open at the end)", closed},
                         {"workforce", "people", "home-country workers (residents) at month end, [compound, month]; other origins in /workforce_by_origin", workforce, months},
                         {"jurisdiction", "index", "index into /jurisdictions/name at month end (-1: not open), [compound, month]",
                          where, months}}});
  out.tables.push_back({"jurisdictions", "the jurisdictions hosting compounds; [jurisdiction, month] at month end",
                        {{"name", "", "jurisdiction", jurisdiction_names},
                         {"workforce", "people", "home-country workers (residents) in its compounds at month end, [jurisdiction, month]",
                          by_jurisdiction, months},
                         {"compounds", "compounds", "compounds open there at month end, [jurisdiction, month]", open_in,
                          months}}});

  add_victim_tables(s, simulation, out);

  std::vector<std::string> hops(model::hop_names.begin(), model::hop_names.end());
  const auto& by_hop = simulation.hop_flows_by_month();
  using model::HopFlows;
  out.tables.push_back({"laundering", "money through the laundering chain by hop and month, [hop, month]",
                        {{"hop", "", "hop of the chain, in order", hops},
                         {"entered_yuan", "yuan", "money arriving at the hop, from the hop before or from victims",
                          by_row_and_month(by_hop, hops.size(), &HopFlows::entered_yuan, scale), months},
                         {"frozen_yuan", "yuan", "money frozen at the hop (a route's freezing at entry included)",
                          by_row_and_month(by_hop, hops.size(), &HopFlows::frozen_yuan, scale), months},
                         {"passed_yuan", "yuan", "money passed on from the hop, after commission",
                          by_row_and_month(by_hop, hops.size(), &HopFlows::passed_yuan, scale), months},
                         {"commission_yuan", "yuan", "commission kept at the hop (a route's commission at entry included)",
                          by_row_and_month(by_hop, hops.size(), &HopFlows::commission_yuan, scale), months},
                         {"traced", "transfers", "transfers traced at the hop",
                          by_row_and_month(by_hop, hops.size(), &HopFlows::traced, scale), months},
                         {"paid_in_yuan", "yuan", "victims' money entering the chain at the hop (part of entered_yuan)",
                          by_row_and_month(by_hop, hops.size(), &HopFlows::paid_in_yuan, scale), months}}});

  const std::vector<std::string> routes = simulation.route_names();
  const auto& by_route = simulation.route_flows_by_month();
  using model::RouteFlows;
  out.tables.push_back({"laundering_routes", "victims' money by laundering route and month, [route, month]",
                        {{"route", "", "route, in the scenario's order (bank_cards: the card chain, without routes)", routes},
                         {"payments", "payments", "victim payments made by the route",
                          by_row_and_month(by_route, routes.size(), &RouteFlows::payments, scale), months},
                         {"paid_in_yuan", "yuan", "money victims paid by the route",
                          by_row_and_month(by_route, routes.size(), &RouteFlows::paid_in_yuan, scale), months},
                         {"frozen_yuan", "yuan", "money of the route frozen, at entry or at any hop",
                          by_row_and_month(by_route, routes.size(), &RouteFlows::frozen_yuan, scale), months},
                         {"commission_yuan", "yuan", "commissions kept on the route, at entry and at every hop",
                          by_row_and_month(by_route, routes.size(), &RouteFlows::commission_yuan, scale), months},
                         {"laundered_yuan", "yuan", "money of the route that reached its group",
                          by_row_and_month(by_route, routes.size(), &RouteFlows::laundered_yuan, scale), months}}});

  std::vector<std::string> event_date, event_type, event_compound, event_jurisdiction, event_group;
  std::vector<std::int64_t> event_count;
  for (const model::Event& e : w.events) {
    event_date.push_back(calendar.date(e.day).iso());
    event_type.push_back(model::event_type_names[static_cast<std::size_t>(e.type)]);
    event_compound.push_back(e.compound >= 0 ? compound_names[static_cast<std::size_t>(e.compound)] : "");
    event_jurisdiction.push_back(e.jurisdiction >= 0 ? jurisdiction_names[static_cast<std::size_t>(e.jurisdiction)] : "");
    event_group.push_back(e.group >= 0 ? group_names[static_cast<std::size_t>(e.group)] : "");
    // People are agents; leaders and financiers are individuals, one for one.
    const bool people_agents = e.type == model::EventType::raid || e.type == model::EventType::handover ||
                               e.type == model::EventType::relocation || e.type == model::EventType::compound_closed;
    event_count.push_back(e.count * (people_agents ? scale : 1));
  }
  out.tables.push_back({"events", "dated events: raids, handovers, relocations, arrests of leaders and financiers, "
                                  "compounds opened and closed, groups dismantled",
                        {{"date", "date", "day of the event", event_date},
                         {"type", "", "kind of event", event_type},
                         {"compound", "", "compound concerned (empty: none)", event_compound},
                         {"jurisdiction", "", "jurisdiction (where the compound is, or moved to)", event_jurisdiction},
                         {"group", "", "family crime group concerned", event_group},
                         {"count", "people", "people concerned: workers captured, handed over, moved or released (scaled), or leaders and financiers arrested (one for one)", event_count}}});

  if (!w.transactions.empty() || simulation.options().record_transactions) {
    std::vector<std::string> day, source, category, group, route;
    std::vector<std::int64_t> from, to, amount, frozen_flag, traced_flag, detour_flag, payment, victim;
    for (const model::TransactionRecord& r : w.transactions) {
      const model::Payment& p = w.payments[r.payment];
      day.push_back(calendar.date(r.day).iso());
      from.push_back(r.from_account);
      to.push_back(r.to_account);
      amount.push_back(r.amount_yuan);
      source.push_back(r.source == 0 ? "victim" : model::hop_names[r.source - 1u]);
      frozen_flag.push_back(r.frozen);
      traced_flag.push_back(r.traced);
      detour_flag.push_back(r.detour);
      route.push_back(routes[r.route]);
      payment.push_back(r.payment);
      victim.push_back(p.victim);
      category.push_back(s.fraud_categories[p.category].name);
      group.push_back(group_names[p.group]);
    }
    out.tables.push_back({"transactions", "every laundering transfer of the agents' payments, labelled with the crime "
                                          "that produced it (each stands for `scale` identical real transfers)",
                          {{"day", "date", "day of the transfer", day},
                           {"from_account", "", "paying account (docs/output.md: account numbering)", from},
                           {"to_account", "", "receiving account (-1: frozen)", to},
                           {"amount_yuan", "yuan", "amount of one transfer", amount},
                           {"source", "", "where the money was: victim, or the hop it left", source},
                           {"frozen", "", "1 if frozen here", frozen_flag},
                           {"traced", "", "1 if traced here", traced_flag},
                           {"detour", "", "1 if the money left by a costlier route for want of a second-level card", detour_flag},
                           {"route", "", "laundering route the payment took (bank_cards: the card chain, without routes)", route},
                           {"payment", "", "the victim payment it comes from", payment},
                           {"victim", "", "resident agent who paid", victim},
                           {"category", "", "fraud script that deceived the victim", category},
                           {"group", "", "family crime group the money goes to", group}}});
  }
}

}  // namespace

FinishedRun run_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
  engine::throw_if_stopped();
  const auto begin = std::chrono::steady_clock::now();
  FinishedRun finished;
  finished.simulation = std::make_unique<model::Simulation>(scenario, scenario.lever_setter(), options.seed,
                                                            model::SimulationOptions{.record_transactions = options.record_transactions,
                                                                                     .populations = options.populations});
  finished.setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  finished.simulation->run([&](std::int32_t done, std::int32_t total) {
    if (options.after_day) options.after_day(done, total);
    engine::throw_if_stopped();
  });
  finished.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return finished;
}

std::vector<std::string> month_labels(const engine::Calendar& calendar) {
  std::vector<std::string> out;
  for (int m = 0; m < calendar.num_months(); ++m) {
    const int index = calendar.start().month_index() + m;
    out.push_back(engine::Date::from_ymd(index / 12, static_cast<unsigned>(index % 12) + 1, 1).year_month());
  }
  return out;
}

std::vector<double> breakdown_values(const model::Simulation& simulation, std::string_view by, std::string_view series,
                                     const std::vector<std::string>& items) {
  const model::Parameters& s = simulation.parameters();
  const model::VictimBreakdowns& b = simulation.victim_breakdowns();
  std::vector<std::string> names;
  const model::MonthlyBreakdown* rows = nullptr;
  if (by == "category") {
    for (const auto& c : s.fraud_categories) names.push_back(c.name);
    rows = series == "victimisations"      ? &b.victimisations_by_category
           : series == "losses_yuan"       ? &b.losses_by_category
           : series == "registered_cases"  ? &b.registered_by_category
                                           : nullptr;
  } else if (by == "age_band") {
    for (const auto& a : s.age_bands) names.push_back(a.name);
    rows = series == "victimisations" ? &b.victimisations_by_age_band
           : series == "registered_cases" ? &b.registered_by_age_band
                                          : nullptr;
  }
  if (!rows) throw std::invalid_argument("no breakdown of " + std::string(series) + " by " + std::string(by));
  const auto months = static_cast<std::size_t>(simulation.calendar().num_months());
  std::vector<double> out(months, 0.0);
  for (const std::string& item : items) {
    const auto found = std::find(names.begin(), names.end(), item);
    if (found == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw std::invalid_argument("'" + item + "' is not a " + std::string(by) + " of the scenario (" + known + ")");
    }
    const auto row = static_cast<std::size_t>(found - names.begin());
    for (std::size_t m = 0; m < months; ++m)
      out[m] += static_cast<double>(rows->values()[row * months + m]) * static_cast<double>(s.scale);
  }
  return out;
}

std::vector<double> monthly_values(const model::Simulation& simulation, std::string_view series) {
  const auto* info = std::find_if(series_info.begin(), series_info.end(), [&](const auto& i) { return i.name == series; });
  if (info == series_info.end()) throw std::invalid_argument("no series named " + std::string(series));
  const engine::Calendar& calendar = simulation.calendar();
  const double scale = info->scaled ? static_cast<double>(simulation.parameters().scale) : 1.0;
  std::vector<double> out(static_cast<std::size_t>(calendar.num_months()), 0.0);
  const auto& daily = simulation.daily_counts();
  for (std::size_t d = 0; d < daily.size(); ++d) {
    const double value = static_cast<double>(daily[d][static_cast<int>(info->id)]) * scale;
    auto& month = out[static_cast<std::size_t>(calendar.month_of(static_cast<std::int32_t>(d)))];
    month = info->aggregation == Aggregation::flow ? month + value : value;
  }
  return out;
}

output::RunOutput make_output(const scenario::Scenario& s, const model::Simulation& simulation, const RunInfo& info) {
  const engine::Calendar& calendar = simulation.calendar();
  const auto& daily = simulation.daily_counts();
  assert(static_cast<std::int32_t>(daily.size()) == calendar.num_days());
  output::RunOutput out;

  out.meta = {
      {"version", std::string(build::version)},
      {"git_commit", std::string(build::git_commit)},
      {"build_type", std::string(build::build_type)},
      {"seed", static_cast<std::int64_t>(info.seed)},
      {"threads", static_cast<std::int64_t>(info.threads)},
      {"scale", s.scale},
      {"population", s.population},
      {"resident_agents", s.num_residents()},
      {"start_date", s.start_date.iso()},
      {"end_date", s.end_date.iso()},
      {"scenario_name", s.name},
      {"transactions", static_cast<std::int64_t>(simulation.options().record_transactions ? 1 : 0)},
      {"scenario", scenario::resolved_yaml(s)},
  };
  for (auto& entry : output::provenance_meta()) out.meta.push_back(std::move(entry));

  for (std::int32_t d = 0; d < calendar.num_days(); ++d) out.daily_dates.push_back(calendar.date(d).iso());
  out.monthly_months = month_labels(calendar);

  for (const auto& info_row : series_info) {
    const int id = static_cast<int>(info_row.id);
    std::vector<std::int64_t> per_day(daily.size()), per_month(static_cast<std::size_t>(calendar.num_months()), 0);
    for (std::size_t d = 0; d < daily.size(); ++d) {
      per_day[d] = daily[d][id] * (info_row.scaled ? s.scale : 1);
      const int m = calendar.month_of(static_cast<std::int32_t>(d));
      if (info_row.aggregation == Aggregation::flow)
        per_month[m] += per_day[d];
      else
        per_month[m] = per_day[d];  // the month's last simulated day wins
    }
    const bool flow = info_row.aggregation == Aggregation::flow;
    const std::string how = flow ? " (total over the period)" : " (on the period's last day)";
    const output::Kind kind = flow ? output::Kind::flow : output::Kind::stock;
    out.daily.push_back({std::string(info_row.name), std::string(info_row.units),
                         std::string(info_row.description) + (flow ? " (per day)" : " (on the day)"), std::move(per_day), kind, info_row.scaled});
    out.monthly.push_back({std::string(info_row.name), std::string(info_row.units),
                           std::string(info_row.description) + how, std::move(per_month), kind, info_row.scaled});
  }

  {
    // The average card price is not a count: a double series, read at month end.
    const auto& price = simulation.daily_card_price();
    std::vector<double> per_month(static_cast<std::size_t>(calendar.num_months()), 0.0);
    for (std::size_t d = 0; d < price.size(); ++d) per_month[calendar.month_of(static_cast<std::int32_t>(d))] = price[d];
    const std::string description = "average price a group pays for a mule or phone card";
    out.daily.push_back({"card_price_yuan", "yuan per card", description + " (on the day)", price, output::Kind::stock, false});
    out.monthly.push_back({"card_price_yuan", "yuan per card", description + " (on the period's last day)", per_month,
                           output::Kind::stock, false});
  }

  output::Table interventions{"interventions", "the scenario's interventions and their dates", {}};
  std::vector<std::string> names, types, starts, ends, fades_from;
  std::vector<std::int64_t> enabled, ramps;
  std::vector<double> fade_half_lives;
  for (const auto& item : s.interventions.items()) {
    names.push_back(item->name);
    types.push_back(std::string(item->type()));
    starts.push_back(item->start.iso());
    ends.push_back(item->end ? item->end->iso() : "");
    enabled.push_back(item->enabled ? 1 : 0);
    ramps.push_back(item->ramp_days);
    fades_from.push_back(item->fade_from ? item->fade_from->iso() : "");
    fade_half_lives.push_back(item->fade_half_life_days);
  }
  interventions.columns = {
      {"name", "", "name given in the scenario", names},
      {"type", "", "intervention type", types},
      {"start", "date", "first day with any effect (YYYY-MM-DD)", starts},
      {"end", "date", "last day with any effect (YYYY-MM-DD; empty: to the end of the run)", ends},
      {"ramp_days", "days", "days over which its strength rises to full", ramps},
      {"fade_from", "date", "last day at full strength before it fades (YYYY-MM-DD; empty: no fade)", fades_from},
      {"fade_half_life_days", "days", "after fade_from its strength halves every this many days (0: no fade)",
       fade_half_lives},
      {"enabled", "", "1 if switched on", enabled},
  };
  out.tables.push_back(std::move(interventions));
  add_chain_tables(s, simulation, out);
  add_origin_and_market_tables(s, simulation, out);

  for (const auto& timing : simulation.phase_timings()) out.perf_seconds.emplace_back("phase_" + timing.name, timing.seconds);
  out.perf_seconds.emplace_back("setup", info.setup_seconds);
  out.perf_seconds.emplace_back("wall", info.wall_seconds);
  return out;
}

std::vector<AnnualRow> annual_totals(const output::RunOutput& out, const std::vector<std::string>& series) {
  std::map<int, std::vector<double>> by_year;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const output::Series* found = nullptr;
    for (const auto& candidate : out.monthly)
      if (candidate.name == series[k]) found = &candidate;
    assert(found && "summary names a series the model does not record");
    const auto& values = std::get<std::vector<std::int64_t>>(found->values);
    const bool stock = found->kind == output::Kind::stock;
    for (std::size_t m = 0; m < values.size(); ++m) {
      const int year = std::stoi(out.monthly_months[m].substr(0, 4));
      auto& row = by_year[year];
      row.resize(series.size(), 0.0);
      row[k] = stock ? static_cast<double>(values[m]) : row[k] + static_cast<double>(values[m]);
    }
  }
  std::vector<AnnualRow> rows;
  for (auto& [year, values] : by_year) rows.push_back({year, std::move(values)});
  return rows;
}

}  // namespace fraudsim::run
