#include "model/parameters.hpp"

#include <cmath>

namespace fraudsim::model {

using input::nonnegative;
using input::optional;
using input::probability;
using input::share;
using input::Spec;

void Region::describe(Fields& f) {
  f.real("population_share", population_share, share("share of residents living in the region"));
  f.real("job_seeker_share", job_seeker_share, share("share of its residents seeking work at any time"));
  f.flag("border", border, Spec{"", "on the land border: organisers of illegal crossings live here"});
}

void AgeBand::describe(Fields& f) {
  f.real("population_share", population_share, share("share of residents in the age band"));
  f.real("susceptibility_factor", susceptibility_factor,
         nonnegative("factor", "multiplies every category's engagement probability"));
  f.real("job_seeking_factor", job_seeking_factor, nonnegative("factor", "multiplies the region's job-seeker share"));
}

void FraudCategory::describe(Fields& f) {
  f.real("effort_share", effort_share, share("share of scam attempts that use this script"));
  f.real("engagement_probability", engagement_probability,
         probability("a delivered contact deceives a person of median susceptibility with no awareness"));
  f.real("loss_median_yuan", loss_median_yuan, Spec{"yuan", "median of the first payment of a con (each later one is escalated)", 1.0});
  f.real("loss_log_sd", loss_log_sd, nonnegative("log yuan", "standard deviation of the log of a loss"));
  f.real("detectability", detectability,
         optional(nonnegative("factor", "multiplies the early-warning dissuasion probability for this script (default 1)")));
  f.real("payments_expected", payments_expected,
         optional(Spec{"payments", "expected payments of a con that nothing stops (geometric; default 1)", 1.0, 100.0}));
  f.real("payment_escalation", payment_escalation,
         optional(Spec{"factor", "each payment of a con is this many times the one before (default 1)", 0.1, 10.0}));
  f.real("days_between_payments", days_between_payments,
         optional(Spec{"days", "mean days from one payment of a con to the next (default 1)", 1.0, 365.0}));
  f.real("report_factor", report_factor,
         optional(nonnegative("factor", "multiplies the probability that a victim of this script reports (default 1)")));
  f.optional_date("introduced", introduced,
                  optional(Spec{"date", "first day gangs use this script (~ or absent: from the start)"}));
}

void ChannelMix::describe(Fields& f) {
  for (int c = 0; c < num_channels; ++c)
    f.real(channel_names[c], effort_share[c], share("share of scam attempts made through this channel"));
}

void Jurisdiction::describe(Fields& f) {
  f.integer("compounds", compounds, nonnegative("compounds", "scam compounds at the start date"));
  f.real("capacity_per_compound", capacity_per_compound,
         nonnegative("people", "places for workers in one compound at the start date"));
  f.real("capacity_growth_per_year", capacity_growth_per_year,
         Spec{"share per year", "growth of each compound's capacity, compounding", -1.0, 10.0});
  f.real("initial_workforce", initial_workforce, nonnegative("people", "workers in all its compounds at the start date"));
  f.integer("groups", groups, nonnegative("groups", "family crime groups controlling its compounds at the start (at least one if it has compounds)"));
  f.integer("max_compounds", max_compounds, input::positive_int("compounds", "most compounds it can host (room for new and relocated ones)"));
  f.real("protection", protection, share("armed protection: share of a raid's capture it prevents"));
  f.real("enforcement", enforcement,
         optional(share("the host state's enforcement against compounds before any dated change; deters new and moved compounds (default 0)")));
  f.real("operating_cost", operating_cost,
         optional(share("relative cost of running a compound there, 0 cheapest to 1 dearest; deters new and moved compounds (default 0)")));
  f.optional_date("available_from", available_from,
                  optional(Spec{"date", "first day a compound may open or move there (~ or absent: from the start)"}));
}

void GroupParameters::describe(Fields& f) {
  f.integer("leaders_per_group", leaders_per_group, input::positive_int("people", "leaders of each family crime group"));
  f.integer("financiers_per_group", financiers_per_group, input::positive_int("people", "financiers of each group"));
  f.real("financier_replacement_per_year", financier_replacement_per_year,
         nonnegative("per year", "hazard that a group replaces a missing financier"));
  f.real("new_compounds_per_year", new_compounds_per_year,
         nonnegative("compounds per year", "compounds a full group with all its leaders opens"));
  f.real("full_occupancy", full_occupancy, share("a group opens compounds when its workforce exceeds this share of its capacity"));
  f.real("relocation_probability", relocation_probability,
         probability("a raided compound moves to another jurisdiction with room"));
  f.real("raid_pressure_half_life_days", raid_pressure_half_life_days,
         Spec{"days", "half-life of the deterrence raids exert on new compounds in a jurisdiction", 1.0});
  f.real("location_sensitivity", location_sensitivity,
         optional(nonnegative("", "weight of enforcement + operating_cost in the choice of where to open or move a compound: "
                                  "weight = room / (1 + raid pressure) * exp(-sensitivity * (enforcement + cost)) (default 0)")));
}

void Smuggling::describe(Fields& f) {
  f.real("smugglers", smugglers, nonnegative("people", "organisers of illegal border crossings at the start"));
  f.real("crossings_per_smuggler_per_day", crossings_per_smuggler_per_day,
         nonnegative("people per smuggler per day", "most people one smuggler takes across per day"));
  f.real("replacement_per_year", replacement_per_year, nonnegative("per year", "hazard that an arrested smuggler is replaced"));
}

void CardParameters::describe(Fields& f) {
  f.real("seller_share", seller_share, share("residents willing to sell a bank or phone card at the reference price"));
  f.real("reference_price_yuan", reference_price_yuan, Spec{"yuan per card", "price paid when the stock is at its target", 1.0});
  f.real("price_response", price_response, nonnegative("", "price = reference * (target stock / stock) ^ response"));
  f.real("price_elasticity", price_elasticity, nonnegative("", "sale probability scales as (price / reference) ^ elasticity"));
  f.real("approaches_per_missing_card_per_day", approaches_per_missing_card_per_day,
         nonnegative("approaches per card per day", "residents a group approaches per missing card"));
  f.real("bank_cards_per_worker", bank_cards_per_worker, nonnegative("cards per worker", "mule bank cards a group aims to hold"));
  f.real("sim_cards_per_worker", sim_cards_per_worker, nonnegative("cards per worker", "phone cards a group aims to hold"));
  f.integer("payments_per_bank_card", payments_per_bank_card,
            input::positive_int("transfers", "transfers a mule card takes before it is dropped"));
  f.real("sim_attempts_per_card_per_day", sim_attempts_per_card_per_day,
         nonnegative("attempts per card per day", "call and SMS attempts one phone card supports"));
  f.real("sim_lifetime_days", sim_lifetime_days, Spec{"days", "mean days before a phone card is burned", 1.0});
  f.real("risk_premium", risk_premium,
         optional(nonnegative("", "card price multiplied by 1 + risk_premium * (sellers' yearly risk of arrest by card-breaking); default 0")));
  f.real("network_size_sellers", network_size_sellers,
         optional(nonnegative("people", "willing sellers a card gang recruits and supplies from (default 0: no gangs)")));
  f.real("network_break_per_arrest", network_break_per_arrest,
         optional(probability("an arrested card seller's gang is broken (default 0)")));
  f.real("network_rebuild_days", network_rebuild_days,
         optional(Spec{"days", "mean days before a broken gang's sellers are recruited again (default 1)", 1.0}));
  f.real("network_recruitment_price_elasticity", network_recruitment_price_elasticity,
         optional(nonnegative("", "gangs rebuild faster when cards sell dear: rate x (price / reference price) ^ this (default 0)")));
  f.section("seller_networks", optional(Spec{"", "card sellers as a stock that card gangs recruit (default: off)"}),
            [&](Fields& g) { seller_networks.describe(g); });
}

void SellerNetworks::describe(Fields& f) {
  f.flag("enabled", enabled, optional(Spec{"", "card gangs recruit the sellers, each with a few cards of their own (default false)"}));
  f.real("active_sellers_per_gang", active_sellers_per_gang,
         optional(Spec{"people per gang", "active sellers per card gang at the start, which sets the number of gangs (default 5)", 0.01}));
  f.real("approaches_per_gang_per_day", approaches_per_gang_per_day,
         optional(nonnegative("residents per gang per day", "residents a card gang approaches a day while its group lacks cards, at most (default 0)")));
  f.integer("bank_cards_per_seller_min", bank_cards_per_seller_min,
            optional(Spec{"cards", "fewest bank cards a seller can supply: their own accounts (default 2)", 0.0, 100.0}));
  f.integer("bank_cards_per_seller_max", bank_cards_per_seller_max,
            optional(Spec{"cards", "most bank cards a seller can supply (default 6)", 0.0, 100.0}));
  f.integer("sim_cards_per_seller_min", sim_cards_per_seller_min,
            optional(Spec{"cards", "fewest phone cards a seller can supply: their own numbers (default 2)", 0.0, 100.0}));
  f.integer("sim_cards_per_seller_max", sim_cards_per_seller_max,
            optional(Spec{"cards", "most phone cards a seller can supply (default 5)", 0.0, 100.0}));
  f.real("quit_per_year", quit_per_year, optional(nonnegative("per year", "hazard an active seller stops selling of their own accord (default 0)")));
}

void HopParameters::describe(Fields& f) {
  f.integer("delay_days", delay_days, nonnegative("days", "days the money stays at this hop before moving on"));
  f.real("freeze_probability", freeze_probability, probability("money at this hop is frozen, before any intervention"));
  f.real("trace_probability", trace_probability, probability("a transfer through this hop is traced, before any intervention"));
  f.real("commission_share", commission_share, share("share of the money kept by whoever operates the hop"));
}

int LaunderingRoute::entry() const {
  for (int h = 0; h < num_hops; ++h)
    if (entry_hop == hop_names[h]) return h;
  return 0;
}

void LaunderingRoute::describe(Fields& f) {
  Spec entry{"", "hop of the chain where the victim's money enters the route (first_level_card: a mule bank card, "
                 "the only entry that needs one)"};
  entry.choices = {hop_names[0], hop_names[2], hop_names[3], hop_names[4]};
  f.text("entry_hop", entry_hop, entry);
  f.real("freeze_probability", freeze_probability, probability("money paid in by this route is frozen at entry"));
  f.real("trace_probability", trace_probability, probability("a payment by this route is traced at entry"));
  f.real("commission_share", commission_share, share("the route's own cost, a share of the money kept at entry"));
  f.integer("delay_days", delay_days, nonnegative("days", "days the money stays at entry before its first hop"));
  f.real("completion_probability", completion_probability,
         optional(probability("a victim asked to pay by this route manages to (default 1)")));
}

void Laundering::describe(Fields& f) {
  f.section("hops", Spec{"", "the hops of the laundering chain, in the order money passes them"}, [&](Fields& g) {
    for (int h = 0; h < num_hops; ++h)
      g.section(hop_names[h], Spec{"", "one hop of the chain"}, [&](Fields& hop) { hops[h].describe(hop); });
  });
  f.real("launderers_per_group", launderers_per_group,
         nonnegative("people", "domestic money launderers working for each group (sets only who is arrested; no rate depends on it)"));
  f.real("arrest_per_lead", arrest_per_lead, probability("a traced card or laundering hop leads to the arrest of the person behind it"));
  f.real("financier_arrest_per_lead", financier_arrest_per_lead,
         probability("a traced virtual-currency hop leads to the arrest of one of the group's financiers"));
  f.integer("detour_after_days", detour_after_days,
            optional(Spec{"days", "money waiting this long for a second-level card moves on by a costlier route without a card (0, the default: it waits)", 0.0, 3650.0}));
  f.real("detour_commission_share", detour_commission_share,
         optional(share("share of the money kept by the operators of the costlier route (default 0)")));
  input::NamedVector<LaunderingRoute> route_list(routes);
  Spec routes_spec{"", "routes a victim's money may take (none, the default: every payment takes the card chain)"};
  routes_spec.optional = true;
  f.named_sections("routes", routes_spec, route_list);
  f.real("route_elasticity", route_elasticity,
         optional(nonnegative("", "a group's share of payments by a route scales as (expected retained share) ^ elasticity (default 0)")));
  f.real("route_switch_days", route_switch_days,
         optional(Spec{"days", "mean days a group takes to move its payments to today's choice of routes (default 1)", 1.0}));
  f.real("typical_payment_yuan", typical_payment_yuan,
         optional(Spec{"yuan", "payment a mule card's price is spread over when a group weighs routes (default 10000)", 1.0}));
}

void Adaptation::describe(Fields& f) {
  f.real("channel_elasticity", channel_elasticity,
         nonnegative("", "effort on a channel scales as (1 - its block probability) ^ elasticity"));
  f.real("category_elasticity", category_elasticity,
         nonnegative("", "effort on a script scales as (1 - its dissuasion probability) ^ elasticity"));
}

void Justice::describe(Fields& f) {
  f.real("administrative_share_card_sellers", administrative_share_card_sellers,
         share("arrested card sellers punished administratively rather than detained criminally"));
  f.real("administrative_share_others", administrative_share_others, share("the same for everyone else arrested"));
  f.integer("administrative_detention_days", administrative_detention_days,
            nonnegative("days", "days of administrative detention"));
  f.real("sentence_median_months", sentence_median_months, Spec{"months", "median criminal sentence", 0.0});
  f.real("sentence_log_sd", sentence_log_sd, nonnegative("log months", "spread of criminal sentences (lognormal)"));
  f.real("sentence_min_months", sentence_min_months, nonnegative("months", "shortest criminal sentence"));
  f.real("sentence_max_months", sentence_max_months, nonnegative("months", "longest criminal sentence"));
  f.real("reoffending_factor", reoffending_factor,
         nonnegative("factor", "after release, multiplies the propensity to sell cards and to accept offers"));
}

void Recruitment::describe(Fields& f) {
  f.real("advert_offers_per_vacancy_per_day", advert_offers_per_vacancy_per_day,
         nonnegative("offers per place per day", "job offers reaching job seekers through online adverts, per empty place"));
  f.real("tie_offers_per_worker_per_day", tie_offers_per_worker_per_day,
         nonnegative("offers per worker per day", "job offers a worker abroad sends to social ties at home"));
  f.integer("ties_per_resident", ties_per_resident, input::positive_int("people", "social ties of a resident in the same region"));
  f.real("acceptance_probability", acceptance_probability,
         probability("a job seeker accepts an offer at the home salary, with no awareness or deterrence"));
  f.real("tie_trust_factor", tie_trust_factor, nonnegative("factor", "an offer from a social tie is this much more likely accepted"));
  f.real("offered_salary_yuan_per_month", offered_salary_yuan_per_month, Spec{"yuan per month", "salary the offers promise", 1.0});
  f.real("home_salary_yuan_per_month", home_salary_yuan_per_month, Spec{"yuan per month", "salary a job seeker can expect at home", 1.0});
  f.real("salary_elasticity", salary_elasticity,
         nonnegative("", "acceptance scales as (offered salary / home salary) to this power"));
  f.real("trafficked_share", trafficked_share, share("share of arriving recruits held by force"));
  f.real("illegal_exit_share", illegal_exit_share, share("share of recruits who leave by illegal border crossing through a smuggler"));
}

void WorkerBehaviour::describe(Fields& f) {
  f.real("attempts_per_day", attempts_per_day, nonnegative("attempts per worker per day", "scam attempts, all channels"));
  f.real("escape_per_year", escape_per_year, nonnegative("per year", "hazard that a trafficked worker escapes"));
  f.real("release_per_year", release_per_year, nonnegative("per year", "hazard that a trafficked worker is released"));
  f.real("return_per_year", return_per_year, nonnegative("per year", "hazard that a voluntary worker comes home unprompted"));
  f.real("arrest_on_return_probability", arrest_on_return_probability,
         probability("a voluntary worker who comes home is arrested"));
  f.real("trafficked_arrest_on_return_probability", trafficked_arrest_on_return_probability,
         probability("a trafficked worker who escapes or is released and comes home is arrested"));
  f.real("domains_per_worker", domains_per_worker, nonnegative("domains per worker", "websites and apps kept running"));
}

void Victims::describe(Fields& f) {
  f.real("engagement_factor", engagement_factor,
         nonnegative("factor", "multiplies every fraud category's engagement probability (one knob for calibration)"));
  f.real("individual_susceptibility_log_sd", individual_susceptibility_log_sd,
         nonnegative("log factor", "person-to-person spread of susceptibility (lognormal, median 1)"));
  f.real("repeat_victim_factor", repeat_victim_factor, nonnegative("factor", "engagement multiplier for people deceived before"));
  f.real("awareness_after_victimisation", awareness_after_victimisation, share("personal awareness a victim gains"));
  f.real("awareness_after_dissuasion", awareness_after_dissuasion, share("personal awareness a dissuaded person gains"));
  f.real("report_probability", report_probability, probability("a victim with no awareness reports to the police"));
  f.real("report_probability_aware", report_probability_aware, probability("a victim with full awareness reports"));
  f.real("report_reference_loss_yuan", report_reference_loss_yuan,
         optional(Spec{"yuan", "the total loss at which the two report probabilities hold (default 10000)", 1.0}));
  f.real("report_loss_elasticity", report_loss_elasticity,
         optional(Spec{"", "report probability scales as (loss / reference loss) ^ elasticity (default 0)", 0.0, 2.0}));
  f.real("recording_probability", recording_probability,
         optional(probability("the police record a victim's report as a registered case (default 1)")));
  f.real("awareness_after_warning", awareness_after_warning,
         optional(share("personal awareness a person warned from a lead gains (default 0)")));
}

void Origin::describe(Fields& f) {
  f.real("initial_workforce", initial_workforce, nonnegative("people", "its workers in all compounds at the start date"));
  f.real("recruits_per_vacancy_per_day", recruits_per_vacancy_per_day,
         nonnegative("recruits per place per day", "its recruits arriving per empty place in a compound, before exit controls"));
  f.real("trafficked_share", trafficked_share, share("share of its arriving recruits held by force"));
  f.real("escape_per_year", escape_per_year, nonnegative("per year", "hazard that a trafficked worker escapes"));
  f.real("release_per_year", release_per_year, nonnegative("per year", "hazard that a trafficked worker is released"));
  f.real("return_per_year", return_per_year, nonnegative("per year", "hazard that a voluntary worker goes home unprompted"));
  f.real("exit_block_probability", exit_block_probability,
         optional(probability("its exit controls stop a recruit from leaving (default 0: none)")));
  f.optional_date("exit_control_start", exit_control_start,
                  optional(Spec{"date", "first day of its exit controls (~ or absent: from the start)"}));
  f.real("repatriation_per_year", repatriation_per_year,
         optional(nonnegative("per year", "its return policy: hazard that a voluntary worker is brought home (default 0: none)")));
  f.optional_date("repatriation_start", repatriation_start,
                  optional(Spec{"date", "first day of its return policy (~ or absent: from the start)"}));
  f.values("markets", markets, Spec{"", "foreign victim markets (names under markets) its workers can work", 1.0});
}

void Market::describe(Fields& f) {
  f.real("population", population, Spec{"people", "people in the market", 1.0});
  f.real("initial_effort_weight", initial_effort_weight,
         nonnegative("weight", "relative effort compounds put on it at the start, among foreign markets"));
  f.real("deception_probability", deception_probability,
         probability("a delivered scam contact deceives someone (before its defences)"));
  f.real("defence_share", defence_share, share("share of attempts blocked or victims dissuaded by its defences"));
  f.optional_date("defence_rise_date", defence_rise_date,
                  optional(Spec{"date", "day its defences rise to defence_share_after_rise (~ or absent: never)"}));
  f.real("defence_share_after_rise", defence_share_after_rise,
         optional(share("its defences from defence_rise_date on (default 0; used only with a date)")));
  f.real("report_probability", report_probability, probability("a victim reports to its police"));
  f.real("loss_median", loss_median, Spec{"currency", "median loss of a victim, in its currency", 0.01});
  f.real("loss_log_sd", loss_log_sd, nonnegative("log currency", "standard deviation of the log of a loss"));
  f.real("yuan_per_unit", yuan_per_unit, Spec{"yuan per unit", "conversion of its currency to yuan", 1e-6});
}

void MarketAllocation::describe(Fields& f) {
  f.real("return_elasticity", return_elasticity,
         optional(nonnegative("", "a market's target share scales as (its return per attempt today / at the start) ^ elasticity (default 1)")));
  f.real("reallocation_per_year", reallocation_per_year,
         optional(nonnegative("per year", "rate at which effort shares move towards their targets (default 1)")));
  f.real("chinese_worker_foreign_share", chinese_worker_foreign_share,
         optional(share("share of home-country workers' effort on foreign markets at the start (language; default 0)")));
}

void Awareness::describe(Fields& f) {
  f.real("initial_public", initial_public, share("public awareness at the start date"));
  f.real("public_floor", public_floor, share("level public awareness decays towards"));
  f.real("public_half_life_days", public_half_life_days, Spec{"days", "half-life of public awareness above its floor", 1.0});
  f.real("personal_half_life_days", personal_half_life_days, Spec{"days", "half-life of awareness from experience", 1.0});
}

void Police::describe(Fields& f) {
  f.real("investigation_capacity_cases_per_day", investigation_capacity_cases_per_day,
         nonnegative("cases per day", "most cases the police can solve per day, nationwide"));
  f.real("solve_probability_per_day", solve_probability_per_day, probability("an open case is solved on a given day, capacity allowing"));
  f.real("caseload_elasticity", caseload_elasticity,
         optional(nonnegative("", "capacity scales as (open cases / reference_open_cases) ^ elasticity above the reference (default 0: fixed)")));
  f.real("reference_open_cases", reference_open_cases,
         optional(Spec{"cases", "open cases above which capacity grows with the caseload (default 1)", 1.0}));
  f.real("arrest_per_solved_case", arrest_per_solved_case,
         probability("solving a case leads to the arrest of the seller of the mule card the victim paid into"));
  f.real("launderer_arrest_per_solved_case", launderer_arrest_per_solved_case,
         optional(probability("solving a case leads to the arrest of one of the group's domestic launderers (default 0)")));
  f.real("other_suspects_per_solved_case", other_suspects_per_solved_case,
         optional(nonnegative("people per case", "further accomplices at home arrested per solved case, on average (default 0)")));
}

void Parameters::describe(Fields& f) {
  f.text("name", name, Spec{"", "short name of the scenario"});
  Spec description_spec{"", "what the scenario represents"};
  description_spec.optional = true;
  f.text("description", description, description_spec);
  f.date("start_date", start_date, Spec{"date", "first simulated day"});
  f.date("end_date", end_date, Spec{"date", "last simulated day"});
  f.integer("seed", seed, Spec{"", "run seed (--seed overrides it)", 0.0, 9007199254740991.0});
  f.real("population", population, Spec{"people", "residents of the home country", 1.0});
  f.integer("scale", scale, input::positive_int("people per agent", "people each resident agent stands for"));
  input::NamedVector<Region> region_list(regions);
  f.named_sections("regions", Spec{"", "regions of the home country", 1.0}, region_list);
  input::NamedVector<AgeBand> age_list(age_bands);
  f.named_sections("age_bands", Spec{"", "age bands of residents", 1.0}, age_list);
  input::NamedVector<FraudCategory> category_list(fraud_categories);
  f.named_sections("fraud_categories", Spec{"", "fraud scripts workers use (at least five)", 5.0}, category_list);
  f.section("channels", Spec{"", "how scam attempts are split over channels"}, [&](Fields& g) { channels.describe(g); });
  input::NamedVector<Jurisdiction> jurisdiction_list(jurisdictions);
  f.named_sections("jurisdictions", Spec{"", "countries or regions abroad that host scam compounds", 1.0},
                   jurisdiction_list);
  f.section("groups", Spec{"", "family crime groups and their compounds"}, [&](Fields& g) { groups.describe(g); });
  f.section("recruitment", Spec{"", "recruitment under the guise of high-salary jobs"},
            [&](Fields& g) { recruitment.describe(g); });
  f.section("smuggling", Spec{"", "organisers of illegal border crossings"}, [&](Fields& g) { smuggling.describe(g); });
  f.section("workers", Spec{"", "workers in the compounds"}, [&](Fields& g) { workers.describe(g); });
  f.section("cards", Spec{"", "mule bank cards and phone cards bought from residents"}, [&](Fields& g) { cards.describe(g); });
  f.section("laundering", Spec{"", "the laundering chain from victim to group"}, [&](Fields& g) { laundering.describe(g); });
  f.section("adaptation", Spec{"", "how gangs shift effort away from what is blocked"},
            [&](Fields& g) { adaptation.describe(g); });
  f.section("victims", Spec{"", "how residents respond to scam contacts"}, [&](Fields& g) { victims.describe(g); });
  f.section("awareness", Spec{"", "public and personal awareness of fraud"}, [&](Fields& g) { awareness.describe(g); });
  f.section("police", Spec{"", "domestic investigation"}, [&](Fields& g) { police.describe(g); });
  f.section("justice", Spec{"", "punishment, detention and release of the people arrested"},
            [&](Fields& g) { justice.describe(g); });
  input::NamedVector<Origin> origin_list(origins);
  f.named_sections("origins", optional(Spec{"", "source regions of workers besides the home country (default none)", 0.0}),
                   origin_list);
  input::NamedVector<Market> market_list(markets);
  f.named_sections("markets", optional(Spec{"", "victim markets besides the home country (default none)", 0.0}), market_list);
  f.section("market_allocation", optional(Spec{"", "how compounds move effort between victim markets"}),
            [&](Fields& g) { market_allocation.describe(g); });
}

std::int64_t Parameters::num_residents() const { return std::llround(population / static_cast<double>(scale)); }

}  // namespace fraudsim::model
