#include "calibrate/mpi/mpi_evaluator.hpp"

#include <mpi.h>

#include <cstddef>
#include <vector>

#include "engine/parallel.hpp"

namespace fraudsim::calibrate::mpi {

int any_rank(int local) {
  int global = 0;
  MPI_Allreduce(&local, &global, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return global;
}

std::function<BatchEvaluator(const Calibration&, const std::vector<bool>&)> evaluator(const sweep::mpi::Session& session) {
  const int rank = session.rank, ranks = session.size;
  return [rank, ranks](const Calibration& c, const std::vector<bool>& in_fit) -> BatchEvaluator {
    return [&c, in_fit, rank, ranks](const std::vector<std::vector<double>>& points, std::int64_t replicates) {
      const auto n = static_cast<std::int64_t>(points.size());
      // This rank's points, simulated on its threads.
      std::vector<std::int64_t> mine;
      for (std::int64_t k = rank; k < n; k += ranks) mine.push_back(k);
      std::vector<Evaluation> local(mine.size());
      engine::parallel_for(static_cast<std::int64_t>(mine.size()),
                           [&](std::int64_t i) { local[i] = evaluate(c, points[mine[i]], in_fit, replicates); }, 1);

      // Every evaluation travels as [distance, statistics..., registered_cases...];
      // the lengths are the same for every point of a calibration.
      const std::size_t statistics = c.target_list.size();
      const std::size_t months = local.empty() ? 0 : local.front().registered_cases.size();
      std::size_t length = 1 + statistics + months;
      // Ranks without a point (more ranks than points) learn the length from the others.
      unsigned long long longest = local.empty() ? 0 : length;
      MPI_Allreduce(MPI_IN_PLACE, &longest, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
      length = static_cast<std::size_t>(longest);

      std::vector<double> send;
      send.reserve(local.size() * length);
      for (const Evaluation& e : local) {
        send.push_back(e.distance);
        send.insert(send.end(), e.statistics.begin(), e.statistics.end());
        send.insert(send.end(), e.registered_cases.begin(), e.registered_cases.end());
      }
      std::vector<int> counts(static_cast<std::size_t>(ranks)), offsets(static_cast<std::size_t>(ranks));
      int total = 0;
      for (int r = 0; r < ranks; ++r) {
        const std::int64_t share = r < n ? (n - r + ranks - 1) / ranks : 0;
        counts[r] = static_cast<int>(share * static_cast<std::int64_t>(length));
        offsets[r] = total;
        total += counts[r];
      }
      std::vector<double> all(static_cast<std::size_t>(total));
      MPI_Allgatherv(send.data(), static_cast<int>(send.size()), MPI_DOUBLE, all.data(), counts.data(), offsets.data(),
                     MPI_DOUBLE, MPI_COMM_WORLD);

      std::vector<Evaluation> out(static_cast<std::size_t>(n));
      for (int r = 0; r < ranks; ++r) {
        const double* at = all.data() + offsets[r];
        for (std::int64_t k = r; k < n; k += ranks, at += length) {
          Evaluation& e = out[static_cast<std::size_t>(k)];
          e.unit = points[static_cast<std::size_t>(k)];
          e.distance = at[0];
          e.statistics.assign(at + 1, at + 1 + statistics);
          e.registered_cases.assign(at + 1 + statistics, at + length);
        }
      }
      return out;
    };
  };
}

}  // namespace fraudsim::calibrate::mpi
