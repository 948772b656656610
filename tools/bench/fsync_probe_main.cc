// fsync_probe: the disk's durable-write limit, the floor under every durable
// append. One thread writes 1 KiB and forces it to disk, over and over, on a
// file in --dir (use the server's data directory's file system):
//
//   append_fdatasync     write at the end of a growing file + fdatasync
//                        (what LevelDB's log does for a synced write)
//   append_fsync         the same with fsync
//   overwrite_fdatasync  write into a preallocated file + fdatasync (what
//                        PostgreSQL's and etcd's preallocated WAL segments do:
//                        no file-size change to journal)
//
// Reports each as a point (system --system_label, in_flight 1): rate, median and
// tail latency. The file is removed afterwards.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tools/bench/bench_result.h"
#include "tools/bench/closed_loop.h"

ABSL_FLAG(std::string, dir, "", "Directory to write the probe file in. Required.");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(2), "Measured time per mode.");
ABSL_FLAG(absl::Duration, warmup, absl::Milliseconds(200),
          "Unmeasured writes before each mode.");
ABSL_FLAG(int, bytes, 1024, "Bytes per write.");
ABSL_FLAG(std::string, json_out, "", "Write the JSON results here.");
ABSL_FLAG(std::string, system_label, "disk",
          "The `system` field of the results, e.g. disk@claimtrail for the "
          "probe run right before claimtrail's points.");

namespace claimtrail {
namespace bench {
namespace {

enum class Mode { kAppendFdatasync, kAppendFsync, kOverwriteFdatasync };

constexpr int64_t kPreallocatedBytes = 64 << 20;

absl::Status Errno(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

absl::StatusOr<PointResult> Probe(const std::string& dir, Mode mode,
                                  absl::string_view name,
                                  absl::string_view system) {
  const std::string path = absl::StrCat(dir, "/fsync_probe.tmp");
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return Errno(absl::StrCat("open ", path));
  const int bytes = absl::GetFlag(FLAGS_bytes);
  std::string block(bytes, 'x');
  if (mode == Mode::kOverwriteFdatasync) {
    // Really written (not fallocate'd): unwritten extents would make the
    // first write of each block a metadata change again.
    std::string chunk(1 << 20, '\0');
    for (int64_t done = 0; done < kPreallocatedBytes; done += chunk.size()) {
      if (::write(fd, chunk.data(), chunk.size()) !=
          static_cast<ssize_t>(chunk.size())) {
        ::close(fd);
        return Errno("preallocate");
      }
    }
    if (::fsync(fd) != 0) return Errno("fsync");
  }

  int64_t offset = 0;
  auto one_write = [&]() -> bool {
    block[0] = static_cast<char>('a' + offset % 26);
    ssize_t written;
    if (mode == Mode::kOverwriteFdatasync) {
      written = ::pwrite(fd, block.data(), block.size(),
                         offset % (kPreallocatedBytes - bytes));
    } else {
      written = ::write(fd, block.data(), block.size());
    }
    offset += bytes;
    if (written != static_cast<ssize_t>(block.size())) return false;
    return (mode == Mode::kAppendFsync ? ::fsync(fd) : ::fdatasync(fd)) == 0;
  };

  const int64_t warmup_end =
      NowNs() + absl::ToInt64Nanoseconds(absl::GetFlag(FLAGS_warmup));
  while (NowNs() < warmup_end) {
    if (!one_write()) {
      ::close(fd);
      return Errno("write");
    }
  }
  std::vector<int64_t> latencies;
  const int64_t start = NowNs();
  const int64_t end =
      start + absl::ToInt64Nanoseconds(absl::GetFlag(FLAGS_duration));
  int64_t now = start;
  while (now < end) {
    const int64_t before = now;
    if (!one_write()) {
      ::close(fd);
      return Errno("write");
    }
    now = NowNs();
    latencies.push_back(now - before);
  }
  ::close(fd);
  ::unlink(path.c_str());

  PointResult point;
  point.system = std::string(system);
  point.workload = std::string(name);
  point.in_flight = 1;
  point.ops = static_cast<int64_t>(latencies.size());
  point.seconds = static_cast<double>(now - start) / 1e9;
  point.qps = static_cast<double>(point.ops) / point.seconds;
  point.latency = Summarize(latencies);
  return point;
}

int Main() {
  const std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) {
    std::fprintf(stderr, "fsync_probe: --dir is required\n");
    return 1;
  }
  std::vector<PointResult> points;
  const std::pair<Mode, const char*> modes[] = {
      {Mode::kAppendFdatasync, "append_fdatasync"},
      {Mode::kAppendFsync, "append_fsync"},
      {Mode::kOverwriteFdatasync, "overwrite_fdatasync"},
  };
  for (const auto& [mode, name] : modes) {
    absl::StatusOr<PointResult> point =
        Probe(dir, mode, name, absl::GetFlag(FLAGS_system_label));
    if (!point.ok()) {
      std::fprintf(stderr, "fsync_probe: %s: %s\n", name,
                   point.status().ToString().c_str());
      return 1;
    }
    points.push_back(*std::move(point));
  }
  nlohmann::ordered_json meta;
  meta["dir"] = dir;
  meta["bytes_per_write"] = absl::GetFlag(FLAGS_bytes);
  return FinishRun("fsync_probe", absl::GetFlag(FLAGS_system_label), points,
                   meta, absl::GetFlag(FLAGS_json_out));
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "The disk's fsync rate: fsync_probe --dir=DIR [--duration=2s] "
      "[--json_out=FILE]");
  absl::ParseCommandLine(argc, argv);
  return claimtrail::bench::Main();
}
