#pragma once
// The small pieces every use of the HDF5 C API in output/ shares: a failed
// call turned into an exception carrying HDF5's own message (and errno, where
// the system said why), a handle that closes itself, and the guard every
// entry point holds while it calls into HDF5. Only output/ includes this.
#include <hdf5.h>

#include <cerrno>
#include <mutex>
#include <string>
#include <string_view>

#include "output/hdf5_files.hpp"

namespace fraudsim::output::h5 {

// Innermost message of HDF5's error stack: the most specific one ("Write failed").
std::string hdf5_message();

// "<what> failed (<HDF5 message>): <strerror>" for a negative result.
[[noreturn]] void fail(std::string_view what, int system_error);

// Returns `result`, or throws Error if it is negative. errno is reset after
// every successful call, so a value seen after a failed call was set by that
// call (ENOMEM from the in-memory driver, EFBIG at a file-size limit).
template <class T>
T ok(T result, std::string_view what) {
  if (result < 0) fail(what, errno);
  errno = 0;
  return result;
}

class Hid {
 public:
  Hid(hid_t id, herr_t (*closer)(hid_t), std::string_view what) : id_(ok(id, what)), close_(closer) {}
  Hid(Hid&& other) noexcept : id_(other.id_), close_(other.close_) { other.id_ = -1; }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  Hid& operator=(Hid&&) = delete;
  ~Hid() { reset(); }
  operator hid_t() const { return id_; }
  // Closes now, ignoring failure (on the way out after an error).
  void reset() noexcept {
    if (id_ >= 0) close_(id_);
    id_ = -1;
  }
  // Closes now, reporting a failure (a full disk on the final flush) instead of ignoring it.
  void close(std::string_view what) {
    const hid_t id = id_;
    id_ = -1;
    ok(close_(id), what);
  }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// Variable-length UTF-8 text, as every string is stored.
Hid text_type();

// Turns HDF5's printing of its error stack off for the lifetime of the object.
class QuietErrors {
 public:
  QuietErrors() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// Held by every entry point for as long as it calls into HDF5. Debian's
// serial HDF5 is not thread-safe, and a sweep writes runs from several
// threads at once. Recursive, so that a merge reads run files while its own
// file is open; the error stack is not printed, since every failure becomes
// an Error.
class Access {
 public:
  Access();

 private:
  std::unique_lock<std::recursive_mutex> hold_;
  QuietErrors quiet_;
};

}  // namespace fraudsim::output::h5
