#pragma once
// The residents at the start date and the pools drawn from later (job
// seekers, border residents, card sellers), before any module acts.
#include <vector>

#include "engine/random.hpp"
#include "model/context.hpp"

namespace fraudsim::model {

// Regions, then each resident's traits from their own draws.
void populate_residents(const Context& ctx);
// The pools offers, approaches and helpers are drawn from, in id order.
void index_pools(const Context& ctx);

// Someone at home: from `pool` if a few tries find one there, else anyone.
// `pool`: a list of ids, or IdBlocks.
template <class Pool = std::vector<ResidentId>>
ResidentId someone_at_home(const Residents& res, const Pool& pool, engine::Draws& draws) {
  for (int tries = 0; tries < 64 && !pool.empty(); ++tries) {
    const ResidentId r = pool[draws.below(pool.size())];
    if (res.at_home(r)) return r;
  }
  ResidentId r;
  do r = static_cast<ResidentId>(draws.below(static_cast<std::uint64_t>(res.size())));
  while (!res.at_home(r));
  return r;
}

}  // namespace fraudsim::model
