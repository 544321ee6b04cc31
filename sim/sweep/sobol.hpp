#pragma once
// The Sobol' low-discrepancy sequence, unscrambled, in Gray-code order
// (Antonov and Saleev 1979), with the direction numbers of Joe and Kuo (2008).
// Point i is computed directly from i, so any subset of points can be made
// by any worker; the points are those of Joe and Kuo's reference program and
// of scipy.stats.qmc.Sobol(scramble=False), the first (all zero) included.
#include <cstdint>
#include <vector>

namespace fraudsim::sweep {

class SobolSequence {
 public:
  static constexpr int max_dimensions = 40;

  explicit SobolSequence(int dimensions);  // 1 .. max_dimensions
  int dimensions() const { return static_cast<int>(directions_.size()); }
  // Point `index` (index < 2^32), each coordinate in [0, 1).
  std::vector<double> point(std::uint64_t index) const;

 private:
  std::vector<std::vector<std::uint32_t>> directions_;  // [dimension][bit]: V << (32 - bit - 1)
};

}  // namespace fraudsim::sweep
