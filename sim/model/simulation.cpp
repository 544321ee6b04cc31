#include "model/simulation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>
#include <sstream>

#include "engine/det_math.hpp"
#include "engine/parallel.hpp"

namespace fraudsim::model {

Simulation::Simulation(Parameters parameters, LeverSetter set_levers, std::uint64_t seed, SimulationOptions options)
    : params_(std::move(parameters)), set_levers_(std::move(set_levers)), seed_(seed), options_(options),
      calendar_(params_.start_date, params_.end_date) {
  daily_.reserve(static_cast<std::size_t>(calendar_.num_days()));
  world_.releases_by_day.resize(static_cast<std::size_t>(calendar_.num_days()));
  populate();
  plan_ = make_plan();
}

// The day, in order. Each phase is a function over whole populations.
engine::DayPlan Simulation::make_plan() {
  engine::DayPlan plan;
  plan.then("interventions", [this](std::int32_t d) { apply_interventions(d); })
      .then("adaptation", [this](std::int32_t d) { adapt_effort(d); })
      .then("public_awareness", [this](std::int32_t d) { update_public_awareness(d); })
      .then("releases", [this](std::int32_t d) { release_detainees(d); })
      .then("recruitment", [this](std::int32_t d) { recruit(d); })
      .then("card_market", [this](std::int32_t d) { trade_cards(d); })
      .then("raids", [this](std::int32_t d) { raid_compounds(d); })
      .then("groups", [this](std::int32_t d) { run_groups(d); })
      .then("leaving_compounds", [this](std::int32_t d) { leave_compounds(d); })
      .then("scam_contacts", [this](std::int32_t d) { make_scam_contacts(d); })
      .then("laundering", [this](std::int32_t d) { launder(d); })
      .then("investigation", [this](std::int32_t d) { investigate(d); })
      .then("record_stocks", [this](std::int32_t d) { record_stocks(d); });
  return plan;
}

void Simulation::step() {
  assert(!finished());
  daily_.push_back(DayCounts{});
  plan_.run_day(day_);
  ++day_;
}

bool Simulation::repeat_phase(std::string_view name) {
  assert(day_ > 0);
  return plan_.run_phase(name, day_ - 1);
}

void Simulation::run(const std::function<void(std::int32_t, std::int32_t)>& progress) {
  while (!finished()) {
    step();
    if (progress) progress(day_, calendar_.num_days());
  }
}

void Simulation::populate() {
  const Parameters& s = params_;
  const std::int64_t n = s.num_residents();
  Residents& res = world_.residents;
  // Left uninitialised here: the parallel loop below writes every element.
  res.age_band.resize(n);
  res.state.resize(n);
  res.victimisations.resize(n);
  res.cards_sold.resize(n);
  res.susceptibility_class.resize(n);
  res.awareness.resize(n);
  res.awareness_day.resize(n);
  // The factor of each susceptibility class: the lognormal quantile at its
  // midpoint, found by bisection on the normal distribution function.
  for (int k = 0; k < 256; ++k) {
    const double p = (k + 0.5) / 256.0;
    double low = -10, high = 10;
    for (int iteration = 0; iteration < 100; ++iteration) {
      const double mid = 0.5 * (low + high);
      (0.5 * engine::det::erfc(-mid / std::numbers::sqrt2) < p ? low : high) = mid;
    }
    susceptibility_of_class_[k] = engine::det::exp(s.victims.individual_susceptibility_log_sd * 0.5 * (low + high));
  }

  // Regions are contiguous blocks of ids (their order carries no meaning);
  // every other trait is drawn per resident.
  auto& region_end = res.region_end;
  double cumulative = 0;
  for (const Region& region : s.regions) {
    cumulative += region.population_share;
    region_end.push_back(std::min<std::int64_t>(n, std::llround(cumulative * static_cast<double>(n))));
  }
  region_end.back() = n;
  const engine::Stream traits(seed_, "resident_traits");
  engine::parallel_for(n, [&](std::int64_t i) {
    std::uint8_t region = 0;
    while (i >= region_end[region]) ++region;
    auto draws = traits.draws(static_cast<std::uint64_t>(i), 0);
    double u = draws.uniform(), below = 0;
    std::uint8_t band = 0;
    for (; band + 1u < s.age_bands.size(); ++band) {
      below += s.age_bands[band].population_share;
      if (u < below) break;
    }
    res.age_band[i] = band;
    const double seeking = s.regions[region].job_seeker_share * s.age_bands[band].job_seeking_factor;
    std::uint8_t state = static_cast<std::uint8_t>(Status::home);
    if (draws.bernoulli(seeking)) state |= Residents::job_seeker_bit;
    res.susceptibility_class[i] = static_cast<std::uint8_t>(draws.below(256));
    if (draws.bernoulli(s.cards.seller_share)) state |= Residents::card_seller_bit;
    res.state[i] = state;
    res.victimisations[i] = 0;
    res.cards_sold[i] = 0;
    res.awareness[i] = 0.0f;
    res.awareness_day[i] = 0;
  });
  // The pools offers, approaches and helpers are drawn from, in id order.
  world_.job_seekers = engine::parallel_select<ResidentId>(n, [&](std::int64_t i) { return res.job_seeker(static_cast<ResidentId>(i)); });
  world_.job_seekers_region_start = {0};
  for (const std::int64_t end : res.region_end)
    world_.job_seekers_region_start.push_back(static_cast<std::size_t>(
        std::lower_bound(world_.job_seekers.begin(), world_.job_seekers.end(), end) - world_.job_seekers.begin()));
  world_.border_residents = engine::parallel_select<ResidentId>(
      n, [&](std::int64_t i) { return s.regions[res.region(static_cast<ResidentId>(i))].border; });
  world_.card_sellers = engine::parallel_select<ResidentId>(n, [&](std::int64_t i) { return res.card_seller(static_cast<ResidentId>(i)); });

  // Groups, then compounds and the workforce they hold at the start date.
  Groups& groups = world_.groups;
  Compounds& cps = world_.compounds;
  const engine::Stream initial(seed_, "initial_workers");
  for (std::size_t j = 0; j < s.jurisdictions.size(); ++j) {
    const Jurisdiction& jur = s.jurisdictions[j];
    const auto first_group = static_cast<std::uint16_t>(groups.size());
    for (std::int64_t g = 0; g < jur.groups; ++g) {
      groups.home_jurisdiction.push_back(static_cast<std::uint8_t>(j));
      groups.leaders.push_back(static_cast<std::int32_t>(s.groups.leaders_per_group));
      groups.financiers.push_back(static_cast<std::int32_t>(s.groups.financiers_per_group));
      groups.dismantled.push_back(0);
      groups.card_price_yuan.push_back(s.cards.reference_price_yuan);
    }
    const std::int64_t first_compound = cps.size();
    for (std::int64_t k = 0; k < jur.compounds; ++k)
      open_compound(static_cast<std::uint8_t>(j), static_cast<std::uint16_t>(first_group + k % jur.groups), -1);
    // Those abroad at the start were recruited from job seekers like later
    // recruits; if there are too few job seekers, from anyone at home.
    const std::int64_t workers = std::llround(jur.initial_workforce / static_cast<double>(s.scale));
    const auto& pool = world_.job_seekers;
    for (std::int64_t k = 0; k < workers; ++k) {
      auto draws = initial.draws((static_cast<std::uint64_t>(j) << 40) + static_cast<std::uint64_t>(k), 0);
      ResidentId r;
      int tries = 0;
      do r = ++tries < 64 && !pool.empty() ? pool[draws.below(pool.size())]
                                           : static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
      while (!res.at_home(r));
      add_worker(r, static_cast<std::uint16_t>(first_compound + k % jur.compounds),
                 draws.bernoulli(s.recruitment.trafficked_share));
    }
  }
  const std::int64_t num_groups = groups.size();
  groups.bank_cards.resize(num_groups);
  groups.sim_cards.resize(num_groups);
  groups.launderers.resize(num_groups);

  // Smugglers and launderers are residents: arrested, they go through the
  // justice pipeline like anyone else.
  const engine::Stream helpers(seed_, "initial_helpers");
  auto draw_from = [&](const std::vector<ResidentId>& pool, engine::Draws& draws) {
    for (int tries = 0; tries < 64 && !pool.empty(); ++tries) {
      const ResidentId r = pool[draws.below(pool.size())];
      if (res.at_home(r)) return r;
    }
    ResidentId r;
    do r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
    while (!res.at_home(r));
    return r;
  };
  const std::int64_t smugglers = std::llround(s.smuggling.smugglers / static_cast<double>(s.scale));
  for (std::int64_t k = 0; k < smugglers; ++k) {
    auto draws = helpers.draws(static_cast<std::uint64_t>(k), 0);
    world_.smugglers.push_back(draw_from(world_.border_residents, draws));
  }
  const std::int64_t launderers = std::llround(s.laundering.launderers_per_group / static_cast<double>(s.scale));
  for (std::int64_t g = 0; g < num_groups; ++g)
    for (std::int64_t k = 0; k < std::max<std::int64_t>(1, launderers); ++k) {
      auto draws = helpers.draws(static_cast<std::uint64_t>(g) << 32 | static_cast<std::uint64_t>(k), 1);
      groups.launderers[g].push_back(draw_from({}, draws));
    }

  // The card stocks the groups hold at the start, from willing sellers.
  const engine::Stream initial_cards(seed_, "initial_cards");
  std::vector<std::int64_t> workforce(static_cast<std::size_t>(num_groups), 0);
  for (std::int64_t c = 0; c < cps.size(); ++c) workforce[cps.group[c]] += cps.workforce[c];
  // Each card's seller is drawn on its own stream, in parallel (nobody's
  // status changes here); the cards are issued after, in order.
  struct Purchase {
    std::uint16_t group;
    CardKind kind;
    std::int64_t number;
    ResidentId seller;
    bool found;
  };
  std::vector<Purchase> purchases;
  for (std::int64_t g = 0; g < num_groups; ++g)
    for (const auto& [kind, per_worker] : {std::pair{CardKind::bank, s.cards.bank_cards_per_worker},
                                           std::pair{CardKind::sim, s.cards.sim_cards_per_worker}}) {
      const std::int64_t target = std::llround(per_worker * static_cast<double>(workforce[g]));
      for (std::int64_t k = 0; k < target; ++k) purchases.push_back({static_cast<std::uint16_t>(g), kind, k, 0, false});
    }
  engine::parallel_for(
      static_cast<std::int64_t>(purchases.size()),
      [&](std::int64_t i) {
        Purchase& purchase = purchases[static_cast<std::size_t>(i)];
        auto draws = initial_cards.draws(static_cast<std::uint64_t>(purchase.group) << 33 |
                                             static_cast<std::uint64_t>(purchase.kind) << 32 |
                                             static_cast<std::uint64_t>(purchase.number), 0);
        ResidentId r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
        for (int tries = 0; tries < 10000 && !(res.card_seller(r) && res.at_home(r)); ++tries)
          r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(n)));
        purchase.seller = r;
        purchase.found = res.card_seller(r) && res.at_home(r);
      },
      /*grain=*/64);
  for (const Purchase& purchase : purchases)
    if (purchase.found) issue_card(purchase.seller, purchase.group, purchase.kind);

  world_.raid_pressure.assign(s.jurisdictions.size(), 0.0);
  world_.public_awareness = s.awareness.initial_public;
  world_.category_effort.assign(s.fraud_categories.size(), 0.0);
  compound_workforce_.assign(static_cast<std::size_t>(calendar_.num_months()), {});
  compound_jurisdiction_.assign(static_cast<std::size_t>(calendar_.num_months()), {});
  hop_flows_.assign(static_cast<std::size_t>(calendar_.num_months()), {});
  card_price_.reserve(static_cast<std::size_t>(calendar_.num_days()));
}

void Simulation::open_compound(std::uint8_t jurisdiction, std::uint16_t group, std::int32_t day) {
  Compounds& cps = world_.compounds;
  std::int32_t serial = 0;
  for (std::int64_t c = 0; c < cps.size(); ++c) serial += cps.first_jurisdiction[c] == jurisdiction;
  cps.jurisdiction.push_back(jurisdiction);
  cps.first_jurisdiction.push_back(jurisdiction);
  cps.group.push_back(group);
  cps.initial_capacity.push_back(params_.jurisdictions[jurisdiction].capacity_per_compound /
                                 static_cast<double>(params_.scale));
  cps.workforce.push_back(0);
  cps.open.push_back(1);
  cps.opened_day.push_back(day);
  cps.closed_day.push_back(-1);
  cps.serial.push_back(serial + 1);
}

void Simulation::add_worker(ResidentId r, std::uint16_t compound, bool trafficked) {
  world_.residents.set_status(r, Status::abroad);
  world_.workers.resident.push_back(r);
  world_.workers.compound.push_back(compound);
  world_.workers.trafficked.push_back(trafficked ? 1 : 0);
  ++world_.compounds.workforce[compound];
}

void Simulation::remove_workers(const std::vector<std::uint8_t>& leaving) {
  Workers& ws = world_.workers;
  // Those before the first to leave stay where they are.
  const auto first = std::find_if(leaving.begin(), leaving.end(), [](std::uint8_t x) { return x != 0; }) - leaving.begin();
  std::int64_t kept = first;
  for (std::int64_t i = first; i < ws.size(); ++i) {
    if (leaving[i]) {
      world_.residents.set_status(ws.resident[i], Status::home);
      --world_.compounds.workforce[ws.compound[i]];
      continue;
    }
    ws.resident[kept] = ws.resident[i];
    ws.compound[kept] = ws.compound[i];
    ws.trafficked[kept] = ws.trafficked[i];
    ++kept;
  }
  ws.resident.resize(kept);
  ws.compound.resize(kept);
  ws.trafficked.resize(kept);
}

double Simulation::compound_capacity(std::int64_t compound, std::int32_t day) const {
  const Compounds& cps = world_.compounds;
  const double growth = params_.jurisdictions[cps.jurisdiction[compound]].capacity_growth_per_year;
  return cps.initial_capacity[compound] * engine::det::exp(engine::det::log1p(growth) * day / 365.25);
}

double Simulation::personal_awareness(ResidentId r, std::int32_t day) const {
  const Residents& res = world_.residents;
  const double stored = res.awareness[r];
  if (stored == 0.0) return 0.0;
  const double elapsed = day - res.awareness_day[r];
  return stored * engine::det::exp(-std::numbers::ln2 * elapsed / params_.awareness.personal_half_life_days);
}

double Simulation::awareness(ResidentId r, std::int32_t day) const {
  return 1.0 - (1.0 - world_.public_awareness) * (1.0 - personal_awareness(r, day));
}

void Simulation::raise_awareness(ResidentId r, std::int32_t day, double gain) {
  const double now = personal_awareness(r, day);
  world_.residents.awareness[r] = static_cast<float>(1.0 - (1.0 - now) * (1.0 - gain));
  world_.residents.awareness_day[r] = static_cast<std::uint16_t>(day);
}

void Simulation::log_event(std::int32_t day, EventType type, std::int64_t compound, std::int64_t jurisdiction,
                           std::int64_t group, std::int64_t count) {
  world_.events.push_back({day, type, static_cast<std::int32_t>(compound), static_cast<std::int32_t>(jurisdiction),
                           static_cast<std::int32_t>(group), count});
}

void Simulation::apply_interventions(std::int32_t day) {
  world_.levers = Levers{};
  world_.levers.raids.resize(params_.jurisdictions.size());
  if (set_levers_) set_levers_(calendar_.date(day), world_.levers);
}

// Gangs put effort where it pays: channels in proportion to their base share
// times (1 - block probability)^e, scripts in proportion to theirs times
// (1 - dissuasion)^e, among the scripts already in use.
void Simulation::adapt_effort(std::int32_t day) {
  const Parameters& s = params_;
  const Levers& levers = world_.levers;
  auto normalise = [](auto& weights) {
    double total = 0;
    for (const double w : weights) total += w;
    for (double& w : weights) w = total > 0 ? w / total : 0.0;
  };
  for (int c = 0; c < num_channels; ++c)
    world_.channel_effort[c] = s.channels.effort_share[c] *
        engine::det::exp(s.adaptation.channel_elasticity * engine::det::log1p(-std::min(levers.block_probability[c], 0.999999)));
  normalise(world_.channel_effort);
  const engine::Date date = calendar_.date(day);
  for (std::size_t k = 0; k < s.fraud_categories.size(); ++k) {
    const FraudCategory& category = s.fraud_categories[k];
    const bool in_use = !category.introduced || *category.introduced <= date;
    const double dissuasion = std::min(0.999999, levers.dissuasion_probability * category.detectability);
    world_.category_effort[k] =
        in_use ? category.effort_share * engine::det::exp(s.adaptation.category_elasticity * engine::det::log1p(-dissuasion)) : 0.0;
  }
  normalise(world_.category_effort);
}

void Simulation::update_public_awareness(std::int32_t) {
  const Awareness& a = params_.awareness;
  double& level = world_.public_awareness;
  level = a.public_floor + (level - a.public_floor) * engine::det::exp(-std::numbers::ln2 / a.public_half_life_days);
  level += (1.0 - level) * world_.levers.public_awareness_reach_per_day;
}

void Simulation::record_stocks(std::int32_t day) {
  DayCounts& t = today(day);
  const World& w = world_;
  t[int(Series::workers_abroad)] = w.workers.size();
  std::int64_t trafficked = 0;
  for (const std::uint8_t x : w.workers.trafficked) trafficked += x;
  t[int(Series::trafficked_workers_abroad)] = trafficked;
  t[int(Series::open_cases)] = static_cast<std::int64_t>(w.open_cases.size());
  t[int(Series::detained)] = w.detained;
  std::int64_t bank = 0, sim = 0, open = 0, in_transit = 0;
  double price_weighted = 0, weight = 0;
  for (std::int64_t g = 0; g < w.groups.size(); ++g) {
    bank += static_cast<std::int64_t>(w.groups.bank_cards[g].size());
    sim += static_cast<std::int64_t>(w.groups.sim_cards[g].size());
    if (!w.groups.dismantled[g]) {
      price_weighted += w.groups.card_price_yuan[g];
      weight += 1;
    }
  }
  for (const std::uint8_t x : w.compounds.open) open += x;
  for (const Transfer& transfer : w.transfers) in_transit += transfer.amount_yuan;
  t[int(Series::mule_cards_active)] = bank;
  t[int(Series::sim_cards_active)] = sim;
  t[int(Series::compounds_open)] = open;
  t[int(Series::in_transit_yuan)] = in_transit;
  card_price_.push_back(weight > 0 ? price_weighted / weight : params_.cards.reference_price_yuan);

  if (calendar_.is_last_day_of_month(day)) {
    const auto month = static_cast<std::size_t>(calendar_.month_of(day));
    auto& workforce = compound_workforce_[month];
    auto& where = compound_jurisdiction_[month];
    workforce.assign(w.compounds.workforce.begin(), w.compounds.workforce.end());
    where.resize(static_cast<std::size_t>(w.compounds.size()));
    for (std::int64_t c = 0; c < w.compounds.size(); ++c) where[c] = w.compounds.open[c] ? w.compounds.jurisdiction[c] : -1;
  }
}

std::string Simulation::check_invariants() const {
  std::ostringstream problems;
  const Residents& res = world_.residents;
  if (res.size() != params_.num_residents())
    problems << "residents: " << res.size() << " agents, expected " << params_.num_residents() << "\n";
  std::int64_t abroad = 0, detained = 0;
  for (std::int64_t r = 0; r < res.size(); ++r) {
    abroad += res.status(static_cast<ResidentId>(r)) == Status::abroad;
    detained += res.status(static_cast<ResidentId>(r)) == Status::detained;
  }
  if (abroad != world_.workers.size())
    problems << "residents abroad: " << abroad << ", workers in compounds: " << world_.workers.size() << "\n";
  if (detained != world_.detained) problems << "residents detained: " << detained << ", recorded: " << world_.detained << "\n";
  std::vector<std::int32_t> workforce(static_cast<std::size_t>(world_.compounds.size()), 0);
  for (std::int64_t w = 0; w < world_.workers.size(); ++w) {
    ++workforce[world_.workers.compound[w]];
    if (res.status(world_.workers.resident[w]) != Status::abroad)
      problems << "worker " << w << " is resident " << world_.workers.resident[w] << " who is not abroad\n";
    if (!world_.compounds.open[world_.workers.compound[w]]) problems << "worker " << w << " is in a closed compound\n";
  }
  if (workforce != world_.compounds.workforce) problems << "compound workforce differs from the workers present\n";
  std::int64_t in_transit = 0;
  for (const Transfer& transfer : world_.transfers) in_transit += transfer.amount_yuan;
  if (total_losses_ != total_frozen_ + in_transit + total_commissions_ + total_laundered_)
    problems << "money: losses " << total_losses_ << " != frozen " << total_frozen_ << " + in transit " << in_transit
             << " + commissions " << total_commissions_ << " + laundered " << total_laundered_ << "\n";
  for (std::int64_t g = 0; g < world_.groups.size(); ++g)
    for (const auto* list : {&world_.groups.bank_cards[g], &world_.groups.sim_cards[g]})
      for (std::size_t k = 0; k < list->size(); ++k) {
        const CardId card = (*list)[k];
        if (world_.cards.state[card] != static_cast<std::uint8_t>(CardState::active) || world_.cards.slot[card] != k ||
            world_.cards.group[card] != g)
          problems << "card " << card << " is listed as active in group " << g << " but is not\n";
      }
  return problems.str();
}

}  // namespace fraudsim::model
