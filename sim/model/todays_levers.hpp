#pragma once
// Today's levers: all the model sees of interventions. They start each day
// at "no intervention" and the scenario's setter tightens them; every module
// that an intervention acts on reads them from here.
#include <cstdint>
#include <utility>

#include "model/context.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class TodaysLevers {
 public:
  TodaysLevers(const Context& ctx, LeverSetter set_levers) : ctx_(ctx), set_levers_(std::move(set_levers)) {}

  void set(std::int32_t day);  // phase "interventions"
  const Levers& today() const { return levers_; }

 private:
  Context ctx_;
  LeverSetter set_levers_;  // none: no intervention ever acts
  Levers levers_;
};

}  // namespace fraudsim::model
