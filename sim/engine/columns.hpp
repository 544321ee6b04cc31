#pragma once
// Columns of a structure of arrays: one contiguous array per attribute.
//
// A Column leaves new elements uninitialised (a vector whose allocator
// default-initialises), so a population's arrays can be first written by
// the parallel loop that sets them up: the memory is touched once, by the
// thread that fills it, instead of being zeroed serially first.
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace fraudsim::engine {

template <class T, class Base = std::allocator<T>>
class DefaultInitAllocator : public Base {
  using Traits = std::allocator_traits<Base>;

 public:
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U, typename Traits::template rebind_alloc<U>>;
  };
  using Base::Base;
  DefaultInitAllocator() = default;

  template <class U>
  void construct(U* where) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(where)) U;
  }
  template <class U, class... Args>
  void construct(U* where, Args&&... args) {
    Traits::construct(static_cast<Base&>(*this), where, std::forward<Args>(args)...);
  }
};

template <class T>
using Column = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace fraudsim::engine
