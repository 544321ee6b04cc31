#pragma once
// `mpirun -np N fraudsim calibrate ...`: every rank runs the same fit (the
// method's own random numbers are counter-based, so all ranks propose the
// same points) and each batch of points is shared out: rank r simulates
// points r, r + N, r + 2N, ... on its threads, and every rank then receives
// every evaluation. An evaluation depends only on its point, so the fit is
// identical to one on threads in a single process. Rank 0 writes the files.
#include <functional>

#include "calibrate/abc.hpp"
#include "sweep/mpi/mpi_runner.hpp"  // sweep::mpi::Session, launched_by_mpi

namespace fraudsim::calibrate::mpi {

// The batch evaluator over the ranks of `session`.
std::function<BatchEvaluator(const Calibration&, const std::vector<bool>&)> evaluator(const sweep::mpi::Session& session);

// Whether any rank has seen `local` non-zero; returns the largest value (a
// collective call: every rank must make it).
int any_rank(int local);

}  // namespace fraudsim::calibrate::mpi
