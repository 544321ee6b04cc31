#pragma once
// `mpirun -np N fraudsim sweep ...`: rank 0 loads the sweep, claims the
// output folder and hands run indices out to the other ranks one at a time,
// each as soon as it reports its last run done (dynamic load balancing: runs
// of a sweep can differ a lot in cost). Rank 0 only dispatches; with one
// rank it runs everything itself, on threads.
#include <ostream>

#include "sweep/runner.hpp"

namespace fraudsim::sweep::mpi {

// Whether an MPI launcher (mpirun, mpiexec, srun --mpi=pmix) started this process.
bool launched_by_mpi();

// MPI_Init on construction, MPI_Finalize on destruction. When mpirun is
// signalled it passes SIGTERM on to every rank and kills them a second later,
// while MPI_Finalize can take longer: a rank reports a stop before its
// session ends.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank = 0, size = 1;
};

// Runs `job` over MPI and returns this rank's exit code. Bad input and
// failures found by rank 0 are thrown there; the other ranks then return the
// same exit code without a message of their own. A stop (a signal on
// any rank) is thrown as engine::Stopped on every rank, with the same signal.
int run_sweep(const Session& session, const SweepJob& job, std::ostream& log);

}  // namespace fraudsim::sweep::mpi
