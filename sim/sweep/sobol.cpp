#include "sweep/sobol.hpp"

#include <cassert>
#include <cstddef>

namespace fraudsim::sweep {
namespace {

constexpr int bits = 32;

// Primitive polynomial degree s, its coefficients a, and the initial
// direction numbers m_1..m_s of dimensions 2 to 40, from the file
// new-joe-kuo-6.21201 of S. Joe and F. Y. Kuo, "Constructing Sobol sequences
// with better two-dimensional projections", SIAM J. Sci. Comput. 30 (2008)
// 2635-2654 (https://web.maths.unsw.edu.au/~fkuo/sobol/).
struct Primitive {
  int degree;
  std::uint32_t coefficients;
  std::uint32_t initial[8];
};
constexpr Primitive joe_kuo[SobolSequence::max_dimensions - 1] = {
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {7, 42, {1, 3, 7, 3, 13, 59, 17}},
    {7, 50, {1, 3, 1, 3, 5, 53, 69}},
    {7, 55, {1, 1, 5, 5, 23, 33, 13}},
    {7, 56, {1, 1, 7, 7, 1, 61, 123}},
    {7, 59, {1, 1, 7, 9, 13, 61, 49}},
    {7, 62, {1, 3, 3, 5, 3, 55, 33}},
    {8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},
    {8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},
    {8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},
};

}  // namespace

SobolSequence::SobolSequence(int dimensions) {
  assert(dimensions >= 1 && dimensions <= max_dimensions);
  directions_.assign(static_cast<std::size_t>(dimensions), std::vector<std::uint32_t>(bits));
  for (int k = 0; k < bits; ++k) directions_[0][k] = 1u << (bits - 1 - k);  // first dimension: van der Corput
  for (int d = 1; d < dimensions; ++d) {
    const Primitive& p = joe_kuo[d - 1];
    std::vector<std::uint32_t>& v = directions_[static_cast<std::size_t>(d)];
    for (int k = 0; k < bits; ++k) {
      if (k < p.degree) {
        v[k] = p.initial[k] << (bits - 1 - k);
        continue;
      }
      // The recurrence of Bratley and Fox (1988), as in Joe and Kuo's program.
      v[k] = v[k - p.degree] ^ (v[k - p.degree] >> p.degree);
      for (int j = 1; j < p.degree; ++j)
        if ((p.coefficients >> (p.degree - 1 - j)) & 1u) v[k] ^= v[k - j];
    }
  }
}

std::vector<double> SobolSequence::point(std::uint64_t index) const {
  assert(index < (std::uint64_t{1} << bits));
  const std::uint64_t gray = index ^ (index >> 1);
  std::vector<double> x;
  x.reserve(directions_.size());
  for (const auto& v : directions_) {
    std::uint32_t bits_of_x = 0;
    for (int k = 0; k < bits; ++k)
      if ((gray >> k) & 1u) bits_of_x ^= v[k];
    x.push_back(static_cast<double>(bits_of_x) * 0x1.0p-32);
  }
  return x;
}

}  // namespace fraudsim::sweep
