#include "libs/base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"

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
  if (fs::is_symlink(fs::symlink_status(target, ec))) {
    target = fs::weakly_canonical(target, ec);  // the file the link names
    if (ec) return failed(ec.message());
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
  // still has a sibling; hidden, and unique among concurrent writers.
  std::string fresh = (folder / ".tonghop-XXXXXX").string();
  const int fd = mkstemp(fresh.data());
  if (fd < 0) return failed(std::strerror(errno));
  close(fd);
  mode_t mode = 0;
  if (existed) {
    mode = before.st_mode & 07777;
  } else {
    const mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  if (chmod(fresh.c_str(), mode) != 0) {
    const int error = errno;
    std::remove(fresh.c_str());
    return failed(std::strerror(error));
  }
  if (absl::Status written = write(fresh); !written.ok()) {
    std::remove(fresh.c_str());
    return written;
  }
  if (std::rename(fresh.c_str(), target.c_str()) != 0) {
    const int error = errno;
    std::remove(fresh.c_str());
    return failed(std::strerror(error));
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
