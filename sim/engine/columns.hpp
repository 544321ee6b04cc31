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

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace fraudsim::engine {

template <class T>
class HugePageAllocator {
 public:
  using value_type = T;
  static constexpr std::size_t huge_page = std::size_t{2} << 20;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (!is_large(n)) return std::allocator<T>{}.allocate(n);
    void* memory = ::operator new(rounded_bytes(n), std::align_val_t{huge_page});
#if defined(MADV_HUGEPAGE)
    // Only a hint: where the system gives no huge pages, small ones serve.
    madvise(memory, rounded_bytes(n), MADV_HUGEPAGE);
#endif
    return static_cast<T*>(memory);
  }
  void deallocate(T* memory, std::size_t n) noexcept {
    if (!is_large(n)) return std::allocator<T>{}.deallocate(memory, n);
    ::operator delete(memory, rounded_bytes(n), std::align_val_t{huge_page});
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }

 private:
  // Below a few huge pages, rounding up to whole ones would waste memory.
  static bool is_large(std::size_t n) { return n * sizeof(T) >= 4 * huge_page; }
  static std::size_t rounded_bytes(std::size_t n) { return (n * sizeof(T) + huge_page - 1) / huge_page * huge_page; }
};

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
using Column = std::vector<T, DefaultInitAllocator<T, HugePageAllocator<T>>>;

}  // namespace fraudsim::engine
