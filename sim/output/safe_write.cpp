#include "output/safe_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "engine/stop.hpp"

namespace fraudsim::output {

namespace fs = std::filesystem;

namespace {

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

fs::path folder_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

// Hidden, beside the target, and unique across the hosts and processes that
// share a sweep's folder: ".run-000123.h5.tmp-node07-4711-0". A sweep started
// again with --resume removes those a killed worker left.
fs::path temporary_for(const fs::path& path, std::string_view kind) {
  static std::atomic<unsigned long> counter{0};
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return folder_of(path) / ("." + path.filename().string() + "." + std::string(kind) + "-" + host + "-" +
                            std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// A failure of the file system while writing the temporary file.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& what, int error) { throw Failure(what + " failed: " + std::strerror(error)); }

void write_bytes(const fs::path& temporary, std::string_view bytes) {
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) fail("creating temporary file " + quoted(temporary), errno);
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      fail("writing " + quoted(temporary), error);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail("closing " + quoted(temporary), errno);
}

// Some file systems (NFS, quotas) report a full disk only on fsync or close.
void sync(const fs::path& temporary) {
  const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("opening " + quoted(temporary), errno);
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail("fsync of " + quoted(temporary), error);
  }
  if (::close(fd) != 0) fail("closing " + quoted(temporary), errno);
}

// Fills and syncs a temporary file, then hands it to `place` (which gives it
// its name); the temporary file is gone afterwards, whatever happened.
void through_temporary(const fs::path& target, const std::function<void(const fs::path&)>& fill,
                       const std::function<void(const fs::path&)>& place, std::string_view failure) {
  const fs::path temporary = temporary_for(target, "tmp");
  try {
    fill(temporary);
    sync(temporary);
    engine::throw_if_stopped();
    place(temporary);
  } catch (const Failure& e) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw OutputError(std::string(failure) + " " + quoted(target) + ": " + e.what());
  } catch (...) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw;
  }
}

}  // namespace

void check_writable(const fs::path& path) {
  const fs::path dir = folder_of(path);
  const auto refuse = [&](const std::string& why) {
    throw OutputError("cannot write output file " + quoted(path) + ": " + why);
  };
  std::error_code ec;
  if (path.filename().empty()) refuse("the path names a folder, not a file");
  if (!fs::exists(dir, ec)) refuse("folder " + quoted(dir) + " does not exist");
  if (!fs::is_directory(dir, ec)) refuse(quoted(dir) + " is not a folder");
  if (fs::is_directory(path, ec)) refuse("it is an existing folder");
  const fs::path probe = temporary_for(path, "probe");
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int err = errno;
    refuse("cannot create a file in folder " + quoted(dir) + ": " + std::strerror(err));
  }
  ::close(fd);
  fs::remove(probe, ec);
}

void write_file(const fs::path& target, const std::function<void(const fs::path&)>& fill, std::string_view failure) {
  through_temporary(
      target, fill,
      [&](const fs::path& temporary) {
        std::error_code error;
        fs::rename(temporary, target, error);
        if (error) throw Failure("renaming " + quoted(temporary) + " to it failed: " + error.message());
      },
      failure);
  // The signal came as the file was renamed: take it back.
  if (const int s = engine::stop_signal()) {
    std::error_code ignored;
    fs::remove(target, ignored);
    throw engine::Stopped(s);
  }
}

void write_file(const fs::path& target, std::string_view bytes) {
  write_file(target, [&](const fs::path& temporary) { write_bytes(temporary, bytes); });
}

bool create_file(const fs::path& target, std::string_view bytes) {
  bool created = true;
  through_temporary(
      target, [&](const fs::path& temporary) { write_bytes(temporary, bytes); },
      [&](const fs::path& temporary) {
        if (::link(temporary.c_str(), target.c_str()) != 0) {
          if (errno != EEXIST) fail("linking " + quoted(temporary) + " to it", errno);
          created = false;
        }
        std::error_code ignored;
        fs::remove(temporary, ignored);
      },
      "cannot write output file");
  return created;
}

}  // namespace fraudsim::output
