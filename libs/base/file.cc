#include "libs/base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tonghop {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          absl::string_view what) {
  auto failed = [&](int error) {
    return absl::NotFoundError(absl::StrCat(what, what.empty() ? "" : ": ",
                                            "cannot read ", path, ": ",
                                            std::strerror(error)));
  };
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failed(errno);
  std::string bytes;
  char buffer[1 << 16];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      close(fd);
      return failed(error);
    }
    bytes.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return bytes;
}

absl::Status WriteFileReplacing(
    const std::string& path, absl::string_view what,
    const std::function<absl::Status(const std::string& fresh_path)>& write) {
  auto failed = [&](absl::string_view why) {
    return absl::FailedPreconditionError(absl::StrCat(
        what, what.empty() ? "" : ": ", "cannot write ", path, ": ", why));
  };
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path target(path);
  // Follow links (a chain of them, bounded) to the file they name, existing
  // or not, so that the file is replaced and the links kept.
  for (int hops = 0; fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
    if (hops == 40) return failed("too many levels of symbolic links");
    fs::path next = fs::read_symlink(target, ec);
    if (ec) return failed(ec.message());
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  struct stat before;
  const bool existed = stat(target.c_str(), &before) == 0;
  if (existed && !S_ISREG(before.st_mode)) {
    return failed(S_ISDIR(before.st_mode) ? "it is a folder"
                                          : "it is not a regular file");
  }
  fs::path folder = target.parent_path();
  if (folder.empty()) folder = ".";
  // A short name, so that a target whose name is near the system's limit
  // still has a sibling; hidden, and unique among concurrent writers. Made
  // with mode 0666, which the kernel narrows by the umask, as for any new
  // file (the process's umask is not touched).
  std::random_device random;
  std::string fresh;
  int fd = -1;
  for (int tries = 0; fd < 0 && tries < 100; ++tries) {
    fresh = (folder / absl::StrFormat(".tonghop-%08x", random())).string();
    fd = open(fresh.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) return failed(std::strerror(errno));
  }
  if (fd < 0) return failed(std::strerror(EEXIST));
  close(fd);
  auto abandon = [&](absl::Status status) {
    std::remove(fresh.c_str());
    return status;
  };
  if (absl::Status written = write(fresh); !written.ok()) {
    return abandon(written);
  }
  // An earlier file's permissions carry over (set once written, so that a
  // read-only one can still be replaced).
  if (existed && chmod(fresh.c_str(), before.st_mode & 07777) != 0) {
    return abandon(failed(std::strerror(errno)));
  }
  if (std::rename(fresh.c_str(), target.c_str()) != 0) {
    return abandon(failed(std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status WriteWholeFile(const std::string& path, absl::string_view what,
                            absl::string_view bytes) {
  return WriteFileReplacing(path, what, [&](const std::string& fresh) {
    auto failed = [&](int error) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, what.empty() ? "" : ": ", "cannot write ", path,
                       ": ", std::strerror(error)));
    };
    const int fd = open(fresh.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return failed(errno);
    for (size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int error = errno;
        close(fd);
        return failed(error);
      }
      done += static_cast<size_t>(n);
    }
    const int synced = fsync(fd) == 0 ? 0 : errno;
    const int closed = close(fd) == 0 ? 0 : errno;
    if (synced != 0 || closed != 0)
      return failed(synced != 0 ? synced : closed);
    return absl::OkStatus();
  });
}

}  // namespace tonghop
