#pragma once
// Workers leave the compounds: the trafficked by escape or release, the
// voluntary of their own accord or persuaded home (persuade_to_return).
// Anyone who comes home may be arrested and go through the justice pipeline.
#include <cstdint>

#include "model/compounds.hpp"
#include "model/context.hpp"
#include "model/justice.hpp"
#include "model/levers.hpp"

namespace fraudsim::model {

class LeavingModule {
 public:
  LeavingModule(const Context& ctx, const Levers& levers, JusticeModule& justice, CompoundsModule& compounds)
      : ctx_(ctx), levers_(levers), justice_(justice), compounds_(compounds) {}

  void leave(std::int32_t day);  // phase "leaving_compounds"

 private:
  Context ctx_;
  const Levers& levers_;
  JusticeModule& justice_;
  CompoundsModule& compounds_;
};

}  // namespace fraudsim::model
