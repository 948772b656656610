// claimtrail_crash_verify: checks, offline, that every write in the ack logs
// is in the data directory exactly once.
//
//   claimtrail_crash_verify --data_dir=DIR ACK_LOG...
//
// Prints one summary line ("verify: N acknowledged writes, M events
// checked, ... lost=0 duplicated=0") and a line per problem. Exit 0 when
// nothing is lost or duplicated, 1 when something is, 2 on usage or read
// errors.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "server/storage/inspect.h"
#include "tools/crash/ack_log.h"
#include "tools/crash/verify.h"

ABSL_FLAG(std::string, data_dir, "", "The data directory. Required.");

int main(int argc, char** argv) {
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (data_dir.empty() || args.size() < 2) {
    std::fprintf(stderr, "usage: claimtrail_crash_verify --data_dir=DIR ACK_LOG...\n");
    return 2;
  }
  std::vector<claimtrail::crash::Ack> acks;
  for (size_t i = 1; i < args.size(); ++i) {
    auto more = claimtrail::crash::ReadAckLog(args[i]);
    if (!more.ok()) {
      std::fprintf(stderr, "crash_verify: %s\n", more.status().ToString().c_str());
      return 2;
    }
    acks.insert(acks.end(), more->begin(), more->end());
  }
  auto ledger = claimtrail::storage::RawLedger::Open(data_dir);
  if (!ledger.ok()) {
    std::fprintf(stderr, "crash_verify: %s\n", ledger.status().ToString().c_str());
    return 2;
  }
  auto verdict = claimtrail::crash::VerifyAcks(**ledger, acks);
  if (!verdict.ok()) {
    std::fprintf(stderr, "crash_verify: %s\n", verdict.status().ToString().c_str());
    return 2;
  }
  for (const std::string& problem : verdict->problems) {
    std::printf("%s\n", problem.c_str());
  }
  std::printf(
      "verify: %lld acknowledged writes, %lld of %lld events carry their "
      "ids, lost=%lld duplicated=%lld\n",
      static_cast<long long>(verdict->acknowledged),
      static_cast<long long>(verdict->events_checked),
      static_cast<long long>(verdict->events_total),
      static_cast<long long>(verdict->lost),
      static_cast<long long>(verdict->duplicated));
  return verdict->ok() ? 0 : 1;
}
