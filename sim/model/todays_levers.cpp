#include "model/todays_levers.hpp"

namespace fraudsim::model {

void TodaysLevers::set(std::int32_t day) {
  levers_ = Levers{};
  levers_.raids.resize(ctx_.params.jurisdictions.size());
  levers_.enforcement.assign(ctx_.params.jurisdictions.size(), 0.0);
  if (set_levers_) set_levers_(ctx_.calendar.date(day), levers_);
}

}  // namespace fraudsim::model
