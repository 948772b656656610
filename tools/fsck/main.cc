// claimtrail_fsck: checks a claimtrail data directory offline.
//
//   claimtrail_fsck --data_dir=DIR [--rebuild_indexes] [--max_problems=N]
//
// The server must be stopped (LevelDB lets one process open a directory).
// Prints one line per problem and a summary line; see tools/fsck/checker.h
// for what is checked. With --rebuild_indexes, every index entry is rewritten
// from the materialized claims and the directory is checked again.
//
// Exit codes: 0 clean; 1 problems found (after the rebuild, if asked);
// 2 the directory could not be checked (missing, in use, unreadable) or bad
// usage.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "server/storage/inspect.h"
#include "tools/fsck/checker.h"

ABSL_FLAG(std::string, data_dir, "",
          "The data directory to check (claimtraild's --data_dir). Required.");
ABSL_FLAG(bool, rebuild_indexes, false,
          "Rewrite every secondary-index entry from the materialized claims, "
          "then check again.");
ABSL_FLAG(int, max_problems, 1000, "Most problems listed one per line.");

namespace {

constexpr int kClean = 0;
constexpr int kProblems = 1;
constexpr int kCannotCheck = 2;

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "claimtrail_fsck: %s\n", status.ToString().c_str());
  return kCannotCheck;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "claimtrail_fsck: checks a claimtrail data directory offline.\n"
      "Usage: claimtrail_fsck --data_dir=DIR [--rebuild_indexes]");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (args.size() > 1 || data_dir.empty()) {
    std::fprintf(stderr,
                 "claimtrail_fsck: --data_dir=DIR is required and no other "
                 "arguments are taken (see --help)\n");
    return kCannotCheck;
  }
  const int max_problems = absl::GetFlag(FLAGS_max_problems);

  auto ledger = claimtrail::storage::RawLedger::Open(data_dir);
  if (!ledger.ok()) return Fail(ledger.status());
  auto report = claimtrail::fsck::CheckLedger(**ledger);
  if (!report.ok()) return Fail(report.status());
  std::fputs(claimtrail::fsck::FormatReport(*report, max_problems).c_str(),
             stdout);

  if (absl::GetFlag(FLAGS_rebuild_indexes)) {
    auto rewritten = claimtrail::fsck::RebuildIndexes(**ledger);
    if (!rewritten.ok()) return Fail(rewritten.status());
    std::printf("rebuild_indexes: deleted %lld and wrote %lld index entries; "
                "checking again\n",
                static_cast<long long>(rewritten->deleted),
                static_cast<long long>(rewritten->written));
    report = claimtrail::fsck::CheckLedger(**ledger);
    if (!report.ok()) return Fail(report.status());
    std::fputs(claimtrail::fsck::FormatReport(*report, max_problems).c_str(),
               stdout);
  }
  return report->clean() ? kClean : kProblems;
}
