#pragma once
// Victimisation as a process: a person deceived by a scam contact pays once
// or several times, days apart, each payment larger by the script's
// escalation factor, until the con runs its course or a warning at a payment
// stops it. When it ends the victim may report it, and the police record a
// share of the reports: the record is apart from the victimisation.
//
// The cons under way are a compact vector owned here (a few per thousand
// residents at any time), not columns of every resident.
#include <cstdint>
#include <vector>

#include "engine/random.hpp"
#include "model/awareness.hpp"
#include "model/cards.hpp"
#include "model/context.hpp"
#include "model/laundering.hpp"
#include "model/levers.hpp"
#include "model/police.hpp"
#include "model/population.hpp"

namespace fraudsim::model {

// Counts by simulated month and by one trait of the victim or the con (its
// fraud category, the victim's age band), in agents (yuan per agent for
// money): [item, month], row-major.
class MonthlyBreakdown {
 public:
  MonthlyBreakdown(std::size_t items, std::size_t months) : months_(months), values_(items * months, 0) {}
  void add(std::size_t item, std::int32_t month, std::int64_t amount) {
    values_[item * months_ + static_cast<std::size_t>(month)] += amount;
  }
  const std::vector<std::int64_t>& values() const { return values_; }

 private:
  std::size_t months_;
  std::vector<std::int64_t> values_;
};

// What the breakdowns count, for the output's /fraud_categories and /age_bands.
struct VictimBreakdowns {
  MonthlyBreakdown victimisations_by_category, losses_by_category, registered_by_category;
  MonthlyBreakdown victimisations_by_age_band, registered_by_age_band;
};

class VictimisationModule {
 public:
  VictimisationModule(const Context& ctx, const Levers& levers, AwarenessModule& awareness, CardsModule& cards,
                      LaunderingModule& laundering, PoliceModule& police)
      : ctx_(ctx), levers_(levers), awareness_(awareness), cards_(cards), laundering_(laundering), police_(police),
        born_(ctx), payments_stream_(ctx.stream("con_payments")), record_stream_(ctx.stream("con_report_and_record")),
        breakdowns_{by_category(), by_category(), by_category(), by_age_band(), by_age_band()} {}

  // A person deceived today by one of `group`'s workers; the first payment is due today.
  void begin(ResidentId victim, std::uint16_t group, std::uint8_t category, std::int32_t day);
  void pay(std::int32_t day);  // phase "payments": every payment due today, in the order the cons began

  std::size_t cons_under_way() const { return cons_.size(); }
  const VictimBreakdowns& breakdowns() const { return breakdowns_; }

 private:
  struct Con {
    std::uint64_t id;  // the order it began in: keys its draws
    ResidentId victim;
    CardId first_card;         // the first mule card paid into: the police's lead
    std::int64_t paid_yuan;    // so far
    double next_payment_yuan;  // 0 until the first payment is drawn
    std::int32_t due_day;
    std::uint16_t group;
    std::uint8_t category;
    std::uint8_t payments_made;
  };
  enum class Outcome : std::uint8_t { goes_on, stopped, ended };
  Outcome pay_one(Con& con, std::int32_t day);
  bool stopped_by_warning(const Con& con, std::int32_t day, engine::Draws& draws);
  void end(const Con& con, std::int32_t day);
  double report_probability(const Con& con, std::int32_t day) const;
  MonthlyBreakdown by_category() const {
    return {ctx_.params.fraud_categories.size(), static_cast<std::size_t>(ctx_.calendar.num_months())};
  }
  MonthlyBreakdown by_age_band() const {
    return {ctx_.params.age_bands.size(), static_cast<std::size_t>(ctx_.calendar.num_months())};
  }

  Context ctx_;
  const Levers& levers_;
  AwarenessModule& awareness_;
  CardsModule& cards_;
  LaunderingModule& laundering_;
  PoliceModule& police_;
  const BornTraits born_;  // victims' age bands
  engine::Stream payments_stream_, record_stream_;
  std::vector<Con> cons_;
  std::uint64_t next_id_ = 0;
  VictimBreakdowns breakdowns_;
};

}  // namespace fraudsim::model
