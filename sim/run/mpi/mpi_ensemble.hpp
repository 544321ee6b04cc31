#pragma once
// The ensemble over MPI ranks (`mpirun -np N fraudsim sweep|calibrate ...`).
// Rank 0 hands the jobs out one at a time, each to a rank as soon as it
// reports its last one done (dynamic load balancing: simulations can differ
// a lot in cost), and runs jobs itself on a thread of its own meanwhile.
// Results travel back to rank 0 and are then shared with every rank. Only
// this folder and the executable see MPI.
#include <memory>
#include <string>

#include "run/ensemble.hpp"

namespace fraudsim::run::mpi {

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

// `job_name` names a job in a failing rank's message ("run 3 on rank 2: ...").
std::unique_ptr<Ensemble> ensemble(const Session& session, std::string job_name);

// Collective calls: every rank must make them, in the same order.
// Rank 0's text on every rank.
std::string broadcast(std::string text);
// The largest of every rank's `local`.
int largest(int local);

}  // namespace fraudsim::run::mpi
