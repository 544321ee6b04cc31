#pragma once
// A hint to fetch an element into the cache before it is read. Loops that
// read columns at random ids (a cache miss each at large scales) issue it a
// few items ahead; it never changes what is computed.
namespace fraudsim::engine {

template <class T>
inline void prefetch(const T* where) {
  __builtin_prefetch(static_cast<const void*>(where));
}

}  // namespace fraudsim::engine
