// The offline consistency check of a claimtrail data directory (what
// `claimtrail_fsck` runs). It reads every record through RawLedger and
// checks the invariants the server relies on:
//
//   record    every key decodes by the key grammar and every value parses;
//             names inside records match their keys.
//   history   each claim's events have revisions 1..N without gaps, N equals
//             the claim's revision, and sequences rise with revisions; no
//             events without a claim, no claim without events.
//   fold      each claim's materialized state equals core::Fold of its
//             events (state_summary aside: it is filled on read).
//   changes   each event that stores changes stores exactly the diff of
//             the claim's states before and after it in that fold
//             (core::DiffClaims), which is what timelines return.
//             Reported only; no option repairs it.
//   log       the global log g/ holds exactly the sequences 1..last_sequence,
//             each pointing at an existing event that carries that sequence,
//             and every event is in the log.
//   index     every index entry points at a live claim and holds for it
//             (claim_index.h), and every value of every claim is indexed.
//   stats     m/stats counts equal the records they count.
//   request   request-id records parse, name their key, and their response
//             parses as the method's response type.
//   source    sources parse and name their key; affiliations exist.
//   token     API-token records parse, name their key, and hold a usable
//             salted hash (version 1: 16-byte salt, 32-byte SHA-256).
#ifndef CLAIMTRAIL_TOOLS_FSCK_CHECKER_H_
#define CLAIMTRAIL_TOOLS_FSCK_CHECKER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/storage/inspect.h"

namespace claimtrail {
namespace fsck {

// One inconsistency.
struct Problem {
  std::string check;  // "record", "history", "fold", "changes", "log", ...
  std::string where;  // The record, e.g. "e/abc#3" or "claims/abc".
  std::string detail;
};

struct Report {
  int64_t claims = 0;
  int64_t events = 0;
  int64_t log_entries = 0;
  int64_t sources = 0;
  int64_t requests = 0;
  int64_t tokens = 0;
  int64_t index_entries = 0;
  uint64_t last_sequence = 0;  // From m/stats.
  std::vector<Problem> problems;

  bool clean() const { return problems.empty(); }
  // How many problems of `check`.
  int64_t Count(const std::string& check) const;
};

// Checks everything listed above. OK with a Report (problems or not) when
// the database could be read to the end; an error (DATA_LOSS, UNAVAILABLE)
// when LevelDB could not read it at all. Reads only.
absl::StatusOr<Report> CheckLedger(storage::RawLedger& ledger);

// Rewrites every index entry from the materialized claims that parse
// (RawLedger::RewriteIndexes). Other problems are left alone: they need a
// human. Returns the counts of entries deleted and written.
absl::StatusOr<storage::RawLedger::IndexRewrite> RebuildIndexes(
    storage::RawLedger& ledger);

// The report for people: one line per problem ("[check] where: detail"),
// at most `max_problems` of them (then a count of the rest), and a summary
// line that ends in "clean" or "N problem(s)".
std::string FormatReport(const Report& report, int max_problems = 1000);

}  // namespace fsck
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_FSCK_CHECKER_H_
