#pragma once
// `mpirun -np N fraudsim sweep ...`: rank 0 loads the sweep and claims the
// output folder, every rank reads the resolved sweep, and the runs go out on
// the MPI ensemble (run/mpi/): rank 0 hands them out one at a time and runs
// some itself.
#include <ostream>

#include "run/mpi/mpi_ensemble.hpp"
#include "sweep/runner.hpp"

namespace fraudsim::sweep::mpi {

// Runs `job` over MPI and returns this rank's exit code. Bad input and
// failures found by rank 0 are thrown there; the other ranks then return the
// same exit code without a message of their own. A stop (a signal on any
// rank) is thrown as engine::Stopped on every rank, with the same signal.
int run_sweep(const run::mpi::Session& session, const SweepJob& job, std::ostream& log);

}  // namespace fraudsim::sweep::mpi
