#include "model/simulation.hpp"

#include <cassert>
#include <sstream>

#include "model/population.hpp"

namespace fraudsim::model {

Simulation::Simulation(Parameters parameters, LeverSetter set_levers, std::uint64_t seed, SimulationOptions options)
    : params_(std::move(parameters)), options_(options), calendar_(params_.start_date, params_.end_date),
      context_{params_, calendar_, seed, options_, world_, daily_},
      levers_(context_, std::move(set_levers)),
      adaptation_(context_, levers_.today()),
      awareness_(context_, levers_.today()),
      justice_(context_),
      cards_(context_, levers_.today(), justice_),
      compounds_(context_),
      groups_(context_, levers_.today(), compounds_, cards_),
      smuggling_(context_, justice_),
      recruitment_(context_, levers_.today(), awareness_, compounds_, smuggling_),
      origins_(context_, compounds_),
      raids_(context_, levers_.today(), justice_, compounds_, groups_, origins_),
      leaving_(context_, levers_.today(), justice_, compounds_),
      laundering_(context_, levers_.today(), justice_, cards_),
      police_(context_, levers_.today(), justice_, cards_, laundering_),
      victimisation_(context_, levers_.today(), awareness_, cards_, laundering_, police_),
      markets_(context_, levers_.today(), adaptation_, awareness_, compounds_),
      contacts_(context_, levers_.today(), adaptation_, awareness_, victimisation_, markets_) {
  daily_.reserve(static_cast<std::size_t>(calendar_.num_days()));
  populate();
  plan_ = make_plan();
}

void Simulation::populate() {
  if (options_.populations) {
    options_.populations->populate(context_);
  } else {
    populate_residents(context_);
  }
  groups_.form_initial();
  compounds_.open_initial();
  compounds_.place_initial_workers();
  compounds_.place_initial_foreign_workers();
  smuggling_.recruit_initial();
  laundering_.hire_initial();
  cards_.stock_initial();
}

// The day, in order: each phase is one or more module steps over whole
// populations, timed under the phase's name.
engine::DayPlan Simulation::make_plan() {
  engine::DayPlan plan;
  plan.then("interventions", [this](std::int32_t d) { levers_.set(d); })
      .then("adaptation",
            [this](std::int32_t d) {
              adaptation_.adapt(d);
              markets_.allocate(d);
            })
      .then("public_awareness", [this](std::int32_t d) { awareness_.update_public(d); })
      .then("releases", [this](std::int32_t d) { justice_.release(d); })
      .then("recruitment",
            [this](std::int32_t d) {
              recruitment_.recruit(d);
              origins_.recruit(d);
            })
      .then("card_market", [this](std::int32_t d) { cards_.trade(d); })
      .then("raids", [this](std::int32_t d) { raids_.raid(d); })
      .then("groups",
            [this](std::int32_t d) {
              groups_.run(d);
              smuggling_.replace(d);
            })
      .then("leaving_compounds",
            [this](std::int32_t d) {
              leaving_.leave(d);
              origins_.leave(d);
            })
      .then("scam_contacts",
            [this](std::int32_t d) {
              contacts_.contact(d);
              markets_.deceive(d);
            })
      .then("laundering_routes", [this](std::int32_t) { laundering_.weigh_routes(); })
      .then("payments", [this](std::int32_t d) { victimisation_.pay(d); })
      .then("laundering", [this](std::int32_t d) { laundering_.launder(d); })
      .then("investigation", [this](std::int32_t d) { police_.investigate(d); })
      .then("record_stocks", [this](std::int32_t d) {
        compounds_.record(d);
        markets_.record(d);
        justice_.record(d);
        police_.record(d);
        cards_.record(d);
        laundering_.record(d);
      });
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

std::string Simulation::check_invariants() const {
  std::ostringstream problems;
  const Residents& res = world_.residents;
  if (res.size() != params_.num_residents())
    problems << "residents: " << res.size() << " agents, expected " << params_.num_residents() << "\n";
  problems << compounds_.check() << justice_.check() << laundering_.check() << cards_.check() << groups_.check(day_);
  return problems.str();
}

}  // namespace fraudsim::model
