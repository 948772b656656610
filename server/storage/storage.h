// Storage: the durable home of claimtrail's ledger.
//
// The storage layer knows records, keys and indexes; it knows nothing of
// folds, validation or gRPC. The core (server/core) decides *what* to write;
// Storage writes it atomically and durably and keeps the secondary indexes
// consistent with the materialized claims.
//
// Thread safety: all methods are safe to call concurrently. Reads see a
// consistent snapshot per call. Commit() calls are serialized internally;
// the core batches concurrent requests into one Commit (one fsync).
#ifndef CLAIMTRAIL_SERVER_STORAGE_STORAGE_H_
#define CLAIMTRAIL_SERVER_STORAGE_STORAGE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/storage/records.pb.h"

namespace claimtrail {
namespace storage {

// Secondary indexes over materialized claims. Each maps a value to the
// claims that have it, ordered by claim id.
enum class ClaimIndex {
  kSource,  // Any attribution hop's source, or a figure's source ("sources/x").
  kParty,   // Any stance's party ("sources/x").
  kState,   // The claim's state, as the ClaimState enum name.
  kTopic,   // Each topic.
  kToken,   // Each normalized word of text, topics and figure labels.
};

// One claim whose materialized state changes in a commit.
struct ClaimWrite {
  // The state before this commit; nullopt for a new claim. Storage uses it
  // to remove index entries that no longer hold.
  std::optional<v1::Claim> before;
  // The state after. `after.name()` is "claims/{id}".
  v1::Claim after;
};

// Everything one commit writes. Applied atomically: all or nothing.
struct WriteSet {
  std::vector<ClaimWrite> claims;
  // New events. Each event's name, revision and sequence are set; sequences
  // are consecutive, starting at LastSequence()+1 of the moment of commit.
  std::vector<v1::Event> events;
  // Events replaced in place (redaction only): same name, payload cleared.
  std::vector<v1::Event> rewritten_events;
  // Sources created or changed.
  std::vector<v1::Source> sources;
  // Idempotency records for the requests in this commit.
  std::vector<RequestRecord> requests;
};

// Counts and sizes for GetServerInfo.
struct StorageStats {
  int64_t claim_count = 0;
  int64_t source_count = 0;
  uint64_t last_sequence = 0;
  // The size of the stored data, approximately: its tables on disk plus
  // what was written since the last flush. The latter is in the
  // write-ahead log too, but the log's files are preallocated (wal_env.h),
  // so their size says nothing; it is counted as the memtables that hold
  // it take in memory, a little more than its bytes (skip-list links,
  // arena blocks: about 4 KiB in an empty one).
  int64_t approximate_bytes = 0;
};

// A position in the global event log.
struct EventRef {
  uint64_t sequence = 0;
  std::string claim_id;
  int64_t revision = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Applies `writes` atomically and durably (fsync before returning OK).
  // The caller sets each new event's `changes` to all that the event
  // changed, empty when it changed nothing (CompleteChangesFrom() vouches
  // for it to readers).
  // OK: every record is durable and visible to later reads.
  // FAILED_PRECONDITION: event sequences are not consecutive from
  //   LastSequence()+1, a new event already exists, or a rewritten event
  //   does not exist or changes its sequence; nothing is written.
  // INVALID_ARGUMENT: a malformed claim, source or event name (ids are 1-63
  //   bytes of [a-z0-9-]) or an empty request_id; nothing is written.
  // UNAVAILABLE (I/O error) / RESOURCE_EXHAUSTED (disk full) / DATA_LOSS
  //   (corruption) / INTERNAL: the write failed; nothing is visible. (After
  //   a crash the failed batch may or may not be replayed: it was never
  //   acknowledged.) After a failed write the LevelDB implementation refuses
  //   all further writes (FAILED_PRECONDITION with a recovery hint) until
  //   reopened.
  virtual absl::Status Commit(const WriteSet& writes) = 0;

  // The highest committed global sequence; 0 for an empty ledger.
  virtual uint64_t LastSequence() const = 0;

  // Every event with sequence >= the result holds its complete `changes`
  // (see Commit), so an empty list means it changed nothing. Earlier events
  // may have been written before events stored their changes, when an empty
  // list meant nothing. 0: no event is known to (an implementation that
  // cannot tell). Constant while the storage is open; cheap.
  virtual uint64_t CompleteChangesFrom() const = 0;

  // The materialized current state of claim `claim_id` (the id, not the
  // resource name). NOT_FOUND if absent; INTERNAL on a record that does not
  // parse; DATA_LOSS on a checksum failure; UNAVAILABLE on an I/O error.
  // (All reads below fail the same ways.)
  virtual absl::StatusOr<v1::Claim> ReadClaim(absl::string_view claim_id) = 0;

  // The source `source_id`. NOT_FOUND if absent.
  virtual absl::StatusOr<v1::Source> ReadSource(absl::string_view source_id) = 0;

  // Up to `limit` events of `claim_id` with revision >= `from_revision`, in
  // revision order. An empty vector when there are none (also for an
  // unknown claim). In all reads, `limit` <= 0 yields an empty result.
  virtual absl::StatusOr<std::vector<v1::Event>> ReadEvents(
      absl::string_view claim_id, int64_t from_revision, int limit) = 0;

  // Up to `limit` global-log positions with sequence > `after_sequence`, in
  // sequence order.
  virtual absl::StatusOr<std::vector<EventRef>> ReadLog(uint64_t after_sequence,
                                                        int limit) = 0;

  // Up to `limit` claim ids in id order, strictly after `after_claim_id`
  // ("" = from the start). All claims when `index` is nullopt; else those
  // whose `index` holds `value`.
  virtual absl::StatusOr<std::vector<std::string>> ScanClaims(
      std::optional<ClaimIndex> index, absl::string_view value,
      absl::string_view after_claim_id, int limit) = 0;

  // Up to `limit` sources in id order after `after_source_id`.
  virtual absl::StatusOr<std::vector<v1::Source>> ScanSources(
      absl::string_view after_source_id, int limit) = 0;

  // The idempotency record for `request_id`. NOT_FOUND if none.
  virtual absl::StatusOr<RequestRecord> ReadRequest(
      absl::string_view request_id) = 0;

  // Counts for GetServerInfo. Cheap (kept in memory, persisted by Commit).
  virtual StorageStats Stats() = 0;
};

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_STORAGE_H_
