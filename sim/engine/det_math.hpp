#pragma once
// The transcendental functions every random draw goes through, in one place.
//
// They are glibc's. With -ffp-contract=off and no -ffast-math the arithmetic
// around them is fixed; glibc's own exp/log/lgamma give identical results on
// x86-64 machines running the same glibc build, which is what a cluster node
// image provides (docs/model.md, "Reproducibility").
#include <cmath>

namespace fraudsim::engine::det {
inline double log(double x) { return std::log(x); }
inline double exp(double x) { return std::exp(x); }
inline double sqrt(double x) { return std::sqrt(x); }  // IEEE 754: correctly rounded everywhere
inline double lgamma(double x) { return std::lgamma(x); }
inline double cos(double x) { return std::cos(x); }
inline double log1p(double x) { return std::log1p(x); }
inline double expm1(double x) { return std::expm1(x); }
inline double erfc(double x) { return std::erfc(x); }
}  // namespace fraudsim::engine::det
