#include "server/admin_token_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace claimtrail {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  const int error = errno;
  const std::string message =
      absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(error));
  if (error == EACCES || error == EPERM || error == EROFS) {
    return absl::PermissionDeniedError(message);
  }
  if (error == EIO || error == ENOSPC || error == EDQUOT) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

absl::Status WriteSecretFile(const std::string& path,
                             absl::string_view secret) {
  const std::string temp = absl::StrCat(path, ".tmp");
  // A stale temp file (crash mid-write) may have any mode: start afresh.
  if (unlink(temp.c_str()) != 0 && errno != ENOENT) {
    return ErrnoError("remove", temp);
  }
  const int fd = open(temp.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      S_IRUSR | S_IWUSR);
  if (fd < 0) return ErrnoError("create", temp);
  const std::string contents = absl::StrCat(secret, "\n");
  absl::Status status = absl::OkStatus();
  // The mode given to open() is filtered by the umask only downwards, but
  // say it explicitly: the file must be 0600 exactly.
  if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
    status = ErrnoError("chmod", temp);
  }
  size_t written = 0;
  while (status.ok() && written < contents.size()) {
    const ssize_t n =
        write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = ErrnoError("write", temp);
    } else {
      written += static_cast<size_t>(n);
    }
  }
  if (status.ok() && fsync(fd) != 0) status = ErrnoError("fsync", temp);
  if (close(fd) != 0 && status.ok()) status = ErrnoError("close", temp);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    status = ErrnoError("rename to", path);
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return status;
  }
  const std::string dir = DirectoryOf(path);
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoError("open directory", dir);
  if (fsync(dir_fd) != 0) status = ErrnoError("fsync directory", dir);
  close(dir_fd);
  return status;
}

}  // namespace claimtrail
