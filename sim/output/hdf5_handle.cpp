#include "output/hdf5_handle.hpp"

#include <cstring>

namespace fraudsim::output::h5 {

namespace {
std::recursive_mutex& lock() {
  static std::recursive_mutex mutex;
  return mutex;
}
}  // namespace

Access::Access() : hold_(lock()) {}

Hid text_type() {
  Hid type(H5Tcopy(H5T_C_S1), H5Tclose, "H5Tcopy");
  ok(H5Tset_size(type, H5T_VARIABLE), "H5Tset_size");
  ok(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset");
  return type;
}

std::string hdf5_message() {
  std::string out;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
        if (n == 0) {
          char buffer[256] = {};
          if (H5Eget_msg(e->min_num, nullptr, buffer, sizeof buffer) > 0) *static_cast<std::string*>(data) = buffer;
        }
        return 0;
      },
      &out);
  return out;
}

void fail(std::string_view what, int system_error) {
  std::string cause = std::string(what) + " failed";
  if (const std::string message = hdf5_message(); !message.empty()) cause += " (" + message + ")";
  if (system_error != 0) cause += ": " + std::string(std::strerror(system_error));
  throw Error(cause);
}

}  // namespace fraudsim::output::h5
