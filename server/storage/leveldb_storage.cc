// LevelDbStorage: the Storage interface on LevelDB.
//
// KEY GRAMMAR, on-disk format version 1. This is the one place it is
// written down; tools that read the database link this library's helpers
// rather than re-deriving it. (inspect.cc is its one decoder, for offline
// tools; tests/server/storage/inspect_test.cc keeps the two in step.)
//
//   c/{claim_id}                          -> v1::Claim (materialized state)
//   e/{claim_id}\0{revision:u64be}        -> v1::Event
//   g/{sequence:u64be}                    -> LogEntry {claim_id, revision}
//   s/{source_id}                         -> v1::Source
//   t/{token_id}                          -> TokenRecord (API token)
//   r/{request_id}                        -> RequestRecord
//   m/stats                               -> StoredStats
//   x/{index}/{esc(value)}\0{claim_id}    -> "" (secondary index entry)
//
// - Every key starts with one ASCII letter and '/', so the key spaces are
//   disjoint and a prefix scan never crosses into another record type.
// - Numbers in keys are 8-byte big-endian unsigned integers, so byte order is
//   numeric order: events of a claim iterate by revision, the log by
//   sequence.
// - claim_id and source_id are 1-63 bytes of [a-z0-9-] (checked by Commit),
//   so they never contain '\0' or '/'. In "e/" keys the '\0' after the id
//   ends it: "e/ab\0..." can never be a prefix of "e/abc\0...".
// - token_id is 1-63 bytes of [a-z0-9-] too (checked by PutToken). Token
//   records hold a salted hash of the secret, never the secret; they are
//   written one at a time (PutToken), outside the event commits, and are
//   not counted in StoredStats.
// - request_id is the whole rest of its key; nothing follows it, so any
//   bytes are safe.
// - {index} is ClaimIndexName(): source, party, state, topic, token.
// - Index values are arbitrary UTF-8 (topics may even hold U+0000). esc()
//   byte-stuffs them so the result has no '\0': 0x00 -> 0x01 0x01 and
//   0x01 -> 0x01 0x02. The '\0' separator is then unambiguous: the prefix
//   "x/{index}/{esc(v)}\0" matches exactly the entries of value v, and the
//   rest of the key is the claim id, so entries of one value iterate in
//   claim-id order (what ScanClaims pages by).
//
// StoredStats is rewritten in every commit's batch, so counts can never
// disagree with the records they count.
//
// EVENTS ARE NEVER OVERWRITTEN. Commit refuses a new event whose key
// exists. That check was a point read per event, one that misses, made on
// the commit path while the batch is built, and LevelDB compacts tables
// that reads keep passing through; without it appends/s rose 24-40 % at 16
// in flight and 2-15 % at 64 (docs/BENCHMARKS.md, sixth round). So this
// storage remembers, per claim, the highest revision it wrote, once it
// has seen (one scan, when a commit updates a claim it does not remember
// yet) that no event above that revision is stored. Only this storage
// writes while it is open (LevelDB locks the directory), so any stored
// event of a remembered claim is at or below the remembered revision, and
// an event above it needs no read. An event at or below it, or of a claim
// not remembered, is looked up as before. The memory is bounded and
// forgotten at restart; it only saves reads.
//
// COMPLETE CHANGES. Events store the changes they made (v1::Event.changes,
// set by the core). A database may also hold events from binaries that
// predate that, where an empty list says nothing, so StoredStats records
// the sequences this code committed: [complete_changes_from,
// complete_changes_through]. Every commit sets _through to its last
// sequence. At open, a range that does not end at last_sequence (never
// recorded: 0, 0; or an older binary committed after it, carrying the
// fields along unchanged) restarts at last_sequence + 1, so only events
// this code wrote are vouched for. Format version 1 either way: older
// binaries read and write such a database as before.
//
// WORD INDEX VERSION. The "x/token/" entries are the words Tokenize made of
// each claim, so a tokenizer that makes other words (tokenizer.h,
// kTokenizerVersion) would leave them unfindable. StoredStats records the
// version that wrote them (word_index_version) and, like the complete
// changes, the last sequence this code committed (word_index_through). At
// open, an index of another version, or one an older binary committed to
// since, is rebuilt from the claims before the database is served: every
// "x/token/" entry deleted and the claims' words written again, then the
// stats stamped, synced. A crash midway leaves the old stamp, so the next
// open rebuilds again. Format version 1 either way.
#include "server/storage/leveldb_storage.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "leveldb/cache.h"
#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/filter_policy.h"
#include "leveldb/iterator.h"
#include "leveldb/options.h"
#include "leveldb/status.h"
#include "leveldb/write_batch.h"
#include "server/storage/claim_index.h"
#include "server/storage/pread_env.h"
#include "server/storage/records.pb.h"
#include "server/storage/source_cache.h"
#include "server/storage/tokenizer.h"
#include "server/storage/wal_env.h"
#include "server/util/logging.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace storage {
namespace {

constexpr int kFormatVersion = 1;
constexpr absl::string_view kStatsKey = "m/stats";
constexpr absl::string_view kNul("\0", 1);

// --- Keys -------------------------------------------------------------------

void AppendU64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

bool ParseU64(absl::string_view in, uint64_t* v) {
  if (in.size() != 8) return false;
  *v = 0;
  for (char c : in) *v = (*v << 8) | static_cast<unsigned char>(c);
  return true;
}

std::string Escape(absl::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\0' || c == '\x01') {
      out.push_back('\x01');
      out.push_back(c == '\0' ? '\x01' : '\x02');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ClaimKey(absl::string_view id) { return absl::StrCat("c/", id); }
std::string SourceKey(absl::string_view id) { return absl::StrCat("s/", id); }
std::string RequestKey(absl::string_view id) { return absl::StrCat("r/", id); }
std::string TokenKey(absl::string_view id) { return absl::StrCat("t/", id); }
std::string EventPrefix(absl::string_view claim_id) {
  return absl::StrCat("e/", claim_id, kNul);
}
std::string EventKey(absl::string_view claim_id, uint64_t revision) {
  std::string key = EventPrefix(claim_id);
  AppendU64(&key, revision);
  return key;
}
std::string LogKey(uint64_t sequence) {
  std::string key = "g/";
  AppendU64(&key, sequence);
  return key;
}
std::string IndexPrefix(ClaimIndex index, absl::string_view value) {
  return absl::StrCat("x/", ClaimIndexName(index), "/", Escape(value), kNul);
}

// 1-63 bytes of [a-z0-9-]: the id grammar of claims and sources, on which
// the key grammar above relies.
bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

// "{collection}/{id}" -> id, or InvalidArgument.
absl::StatusOr<std::string> IdFromName(absl::string_view name,
                                       absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != collection || !IsValidId(parts[1])) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed ", collection, " name \"", name, "\""));
  }
  return std::string(parts[1]);
}

// "claims/{claim}/events/{revision}" -> claim id, checked against the
// event's revision field.
absl::StatusOr<std::string> ClaimIdOfEvent(const v1::Event& event) {
  std::vector<absl::string_view> parts = absl::StrSplit(event.name(), '/');
  int64_t revision = 0;
  if (parts.size() != 4 || parts[0] != "claims" || !IsValidId(parts[1]) ||
      parts[2] != "events" || !absl::SimpleAtoi(parts[3], &revision) ||
      revision < 1 || revision != event.revision()) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed event name \"", event.name(),
                     "\" for revision ", event.revision()));
  }
  return std::string(parts[1]);
}

std::set<std::string> IndexKeys(const v1::Claim& claim,
                                absl::string_view claim_id, bool with_tokens) {
  std::set<std::string> keys;
  for (const auto& [index, value] : ClaimIndexValues(claim, with_tokens)) {
    keys.insert(absl::StrCat(IndexPrefix(index, value), claim_id));
  }
  return keys;
}

// --- Errors -----------------------------------------------------------------

absl::Status FromLevelDb(const leveldb::Status& s, absl::string_view op) {
  if (s.ok()) return absl::OkStatus();
  const std::string msg = absl::StrCat(op, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(msg);
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsIOError()) {
    // LevelDB keeps only strerror text; ENOSPC is "No space left on device".
    if (absl::StrContains(s.ToString(), "No space")) {
      return absl::ResourceExhaustedError(msg);
    }
    return absl::UnavailableError(msg);
  }
  return absl::InternalError(msg);
}

template <typename T>
absl::Status ParseRecord(absl::string_view key, absl::string_view value,
                         T* out) {
  if (!out->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::InternalError(
        absl::StrCat("corrupt ", out->GetTypeName(), " record at key \"",
                     absl::CEscape(key), "\"; run `claimtrail fsck`"));
  }
  return absl::OkStatus();
}

leveldb::Slice ToSlice(absl::string_view s) { return {s.data(), s.size()}; }
absl::string_view ToView(const leveldb::Slice& s) {
  return {s.data(), s.size()};
}

}  // namespace

// --- LevelDbStorage
// -----------------------------------------------------------

// Declared in the header (forward), so it is not in the anonymous namespace.
class LevelDbStorage : public Storage, public TokenStore {
 public:
  LevelDbStorage(std::string path, std::unique_ptr<leveldb::Env> env,
                 std::unique_ptr<leveldb::Cache> cache,
                 std::unique_ptr<const leveldb::FilterPolicy> filter,
                 std::unique_ptr<leveldb::DB> db, bool sync, StoredStats stats)
      : path_(std::move(path)),
        env_(std::move(env)),
        cache_(std::move(cache)),
        filter_(std::move(filter)),
        db_(std::move(db)),
        sync_(sync),
        complete_changes_from_(stats.complete_changes_from()),
        stored_stats_(std::move(stats)) {
    PublishStats();
  }

  absl::Status Commit(const WriteSet& writes) override;
  uint64_t LastSequence() const override;
  uint64_t CompleteChangesFrom() const override {
    return complete_changes_from_;
  }
  absl::StatusOr<v1::Claim> ReadClaim(absl::string_view claim_id) override;
  absl::StatusOr<v1::Source> ReadSource(absl::string_view source_id) override;
  absl::StatusOr<std::vector<v1::Event>> ReadEvents(absl::string_view claim_id,
                                                    int64_t from_revision,
                                                    int limit) override;
  absl::StatusOr<std::vector<EventRef>> ReadLog(uint64_t after_sequence,
                                                int limit) override;
  absl::StatusOr<std::vector<std::string>> ScanClaims(
      std::optional<ClaimIndex> index, absl::string_view value,
      absl::string_view after_claim_id, int limit) override;
  absl::StatusOr<std::vector<v1::Source>> ScanSources(
      absl::string_view after_source_id, int limit) override;
  absl::StatusOr<RequestRecord> ReadRequest(
      absl::string_view request_id) override;
  StorageStats Stats() override;

  // TokenStore.
  absl::Status PutToken(const TokenRecord& record, bool create) override;
  absl::StatusOr<TokenRecord> ReadToken(absl::string_view token_id) override;
  absl::StatusOr<std::vector<TokenRecord>> ScanTokens(
      absl::string_view after_token_id, int limit) override;

 private:
  // Builds the batch for `writes` into `batch` and the stats it leaves into
  // `stats`. Reads (existence checks) see committed state only, which is
  // stable because commit_mu_ is held.
  // `remember`: the (claim, highest revision) pairs to remember once the
  // batch is written (EVENTS ARE NEVER OVERWRITTEN).
  absl::Status BuildBatch(
      const WriteSet& writes, leveldb::WriteBatch* batch, StoredStats* stats,
      std::vector<std::pair<std::string, int64_t>>* remember)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);

  // After a successful commit: see EVENTS ARE NEVER OVERWRITTEN.
  void RememberWrittenRevisions(
      const std::vector<std::pair<std::string, int64_t>>& remember)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_) {
    if (written_revisions_.size() + remember.size() > kRememberedClaims) {
      written_revisions_.clear();
    }
    for (const auto& [claim_id, revision] : remember) {
      int64_t& highest = written_revisions_[claim_id];
      highest = std::max(highest, revision);
    }
  }

  // Makes stored_stats_ visible to Stats() and LastSequence().
  void PublishStats() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    claim_count_.store(stored_stats_.claim_count(), std::memory_order_relaxed);
    source_count_.store(stored_stats_.source_count(),
                        std::memory_order_relaxed);
    last_sequence_.store(stored_stats_.last_sequence(),
                         std::memory_order_release);
  }

  // OK + true if `key` exists, OK + false if not.
  absl::StatusOr<bool> Exists(absl::string_view key, std::string* value);

  template <typename T>
  absl::StatusOr<T> ReadRecord(absl::string_view key, absl::string_view what);

  // Calls `fn(key_suffix, value, &status)` for each key with `prefix`,
  // starting at `start` (>= prefix), until the prefix ends or `fn` returns
  // false; then returns the status `fn` set (OK to just stop early), or the
  // iterator's error.
  template <typename Fn>
  absl::Status ScanPrefix(absl::string_view prefix, absl::string_view start,
                          Fn fn);

  const std::string path_;
  // Declared before db_, so they outlive it. env_ is null when the caller
  // supplied the Env.
  std::unique_ptr<leveldb::Env> env_;
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;
  const bool sync_;
  // StoredStats.complete_changes_from as LoadStats left it. Commits never
  // change it (only _through), so readers get this copy without commit_mu_.
  const uint64_t complete_changes_from_;

  // Sources read lately (source_cache.h); commits update it.
  SourceCache source_cache_{4096};

  absl::Mutex commit_mu_;
  // The first write failure; once set, Commit refuses. LevelDB's background
  // error is sticky too, and after a partial log append a further write
  // would land behind a torn record that recovery reports as corruption.
  absl::Status write_error_ ABSL_GUARDED_BY(commit_mu_);

  // What the last successful commit persisted under "m/stats"; the base of
  // the next commit's stats.
  StoredStats stored_stats_ ABSL_GUARDED_BY(commit_mu_);

  // Highest revision this storage committed per claim (EVENTS ARE NEVER
  // OVERWRITTEN, above); emptied when it reaches kRememberedClaims.
  static constexpr size_t kRememberedClaims = 1 << 16;
  absl::flat_hash_map<std::string, int64_t> written_revisions_
      ABSL_GUARDED_BY(commit_mu_);

  // Copies of stored_stats_ for readers. Atomics rather than a second mutex
  // so Stats() and LastSequence() never wait for a commit's fsync (and so
  // ThreadSanitizer can see the synchronization: the system Abseil is not
  // instrumented). last_sequence_ is stored last, with release order: a
  // reader that sees sequence N also sees the records up to N.
  std::atomic<int64_t> claim_count_{0};
  std::atomic<int64_t> source_count_{0};
  std::atomic<uint64_t> last_sequence_{0};
};

absl::Status LevelDbStorage::Commit(const WriteSet& writes) {
  absl::MutexLock lock(&commit_mu_);
  if (!write_error_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "storage is read-only after a failed write: ", write_error_.message(),
        "; restart the server to recover"));
  }
  leveldb::WriteBatch batch;
  StoredStats stats;
  std::vector<std::pair<std::string, int64_t>> remember;
  RETURN_IF_ERROR(BuildBatch(writes, &batch, &stats, &remember));
  leveldb::WriteOptions options;
  options.sync = sync_;
  const leveldb::Status s = db_->Write(options, &batch);
  if (!s.ok()) {
    write_error_ = FromLevelDb(s, absl::StrCat("commit to ", path_));
    LogError("storage: %s; refusing further writes until restart",
             write_error_.ToString());
    return write_error_;
  }
  stored_stats_ = std::move(stats);
  PublishStats();
  RememberWrittenRevisions(remember);
  // Still under commit_mu_, so commits update the cache in commit order.
  std::vector<std::pair<std::string, v1::Source>> sources;
  for (const v1::Source& source : writes.sources) {
    absl::StatusOr<std::string> id = IdFromName(source.name(), "sources");
    if (id.ok()) sources.emplace_back(*std::move(id), source);
  }
  source_cache_.Update(sources);
  return absl::OkStatus();
}

absl::Status LevelDbStorage::BuildBatch(
    const WriteSet& writes, leveldb::WriteBatch* batch, StoredStats* stats,
    std::vector<std::pair<std::string, int64_t>>* remember) {
  *stats = stored_stats_;
  std::string scratch;

  // Everything is validated while the batch is built; nothing is written
  // unless the whole set is valid.
  uint64_t next_sequence = stats->last_sequence() + 1;
  absl::flat_hash_set<std::string> new_events;
  // Per claim, the highest revision of its new events.
  absl::flat_hash_map<std::string, int64_t> batch_highest;
  for (const v1::Event& event : writes.events) {
    if (event.sequence() != next_sequence) {
      return absl::FailedPreconditionError(
          absl::StrCat("event ", event.name(), " has sequence ",
                       event.sequence(), "; expected ", next_sequence,
                       " (consecutive from LastSequence()+1)"));
    }
    ++next_sequence;
    ASSIGN_OR_RETURN(std::string claim_id, ClaimIdOfEvent(event));
    const std::string key = EventKey(claim_id, event.revision());
    bool exists = false;
    auto written = written_revisions_.find(claim_id);
    if (written == written_revisions_.end() ||
        event.revision() <= written->second) {
      ASSIGN_OR_RETURN(exists, Exists(key, &scratch));
    }
    int64_t& highest = batch_highest[claim_id];
    highest = std::max(highest, event.revision());
    if (exists || !new_events.insert(key).second) {
      return absl::FailedPreconditionError(
          absl::StrCat("event ", event.name(), " already exists"));
    }
    batch->Put(key, event.SerializeAsString());
    LogEntry entry;
    entry.set_claim_id(claim_id);
    entry.set_revision(event.revision());
    batch->Put(LogKey(event.sequence()), entry.SerializeAsString());
  }
  stats->set_last_sequence(next_sequence - 1);
  stats->set_complete_changes_through(next_sequence - 1);
  stats->set_word_index_through(next_sequence - 1);

  for (const v1::Event& event : writes.rewritten_events) {
    ASSIGN_OR_RETURN(std::string claim_id, ClaimIdOfEvent(event));
    const std::string key = EventKey(claim_id, event.revision());
    if (!new_events.contains(key)) {
      ASSIGN_OR_RETURN(bool exists, Exists(key, &scratch));
      v1::Event stored;
      if (exists) RETURN_IF_ERROR(ParseRecord(key, scratch, &stored));
      // A rewrite replaces a payload; it never moves an event in the log.
      if (!exists || stored.sequence() != event.sequence()) {
        return absl::FailedPreconditionError(
            absl::StrCat("rewritten event ", event.name(),
                         exists ? " changes its sequence" : " does not exist"));
      }
    }
    batch->Put(key, event.SerializeAsString());
  }

  // A ClaimWrite without `before` creates the claim. Check that it really
  // is new: otherwise the old index entries would stay behind and the count
  // would drift.
  absl::flat_hash_set<std::string> seen_claims;
  // Claims that exist and that this batch updates.
  absl::flat_hash_set<std::string> updated_claims;
  for (const ClaimWrite& write : writes.claims) {
    ASSIGN_OR_RETURN(std::string id, IdFromName(write.after.name(), "claims"));
    const bool first_in_batch = seen_claims.insert(id).second;
    if (!write.before.has_value()) {
      bool exists = !first_in_batch;
      if (!exists) {
        ASSIGN_OR_RETURN(exists, Exists(ClaimKey(id), &scratch));
      }
      if (exists) {
        return absl::FailedPreconditionError(
            absl::StrCat("claim ", write.after.name(), " already exists"));
      }
    }
    std::set<std::string> old_keys;
    // Token entries are the same on both sides unless the tokenized fields
    // changed (most events touch stances, figures or state, not text):
    // then neither side needs tokenizing.
    bool with_tokens = true;
    if (write.before.has_value()) {
      if (write.before->name() != write.after.name()) {
        return absl::InvalidArgumentError(
            absl::StrCat("claim write renames ", write.before->name(), " to ",
                         write.after.name()));
      }
      with_tokens = !SameTokenInputs(*write.before, write.after);
      updated_claims.insert(id);
      old_keys = IndexKeys(*write.before, id, with_tokens);
    } else {
      stats->set_claim_count(stats->claim_count() + 1);
    }
    const std::set<std::string> new_keys =
        IndexKeys(write.after, id, with_tokens);
    for (const std::string& key : old_keys) {
      if (!new_keys.count(key)) batch->Delete(key);
    }
    for (const std::string& key : new_keys) {
      if (!old_keys.count(key)) batch->Put(key, leveldb::Slice());
    }
    batch->Put(ClaimKey(id), write.after.SerializeAsString());
  }

  // WriteSet does not say which sources are new, so look: the count must
  // match the records exactly.
  absl::flat_hash_set<std::string> seen_sources;
  for (const v1::Source& source : writes.sources) {
    ASSIGN_OR_RETURN(std::string id, IdFromName(source.name(), "sources"));
    const std::string key = SourceKey(id);
    if (seen_sources.insert(key).second) {
      ASSIGN_OR_RETURN(bool exists, Exists(key, &scratch));
      if (!exists) stats->set_source_count(stats->source_count() + 1);
    }
    batch->Put(key, source.SerializeAsString());
  }

  for (const RequestRecord& request : writes.requests) {
    if (request.request_id().empty()) {
      return absl::InvalidArgumentError("request record without request_id");
    }
    batch->Put(RequestKey(request.request_id()), request.SerializeAsString());
  }

  // EVENTS ARE NEVER OVERWRITTEN: a claim is remembered from its first
  // update on (not from its creation, so that an import of many new claims
  // pays no scan), once no event above this batch's is found.
  for (const auto& [claim_id, highest] : batch_highest) {
    if (!written_revisions_.contains(claim_id)) {
      if (!updated_claims.contains(claim_id)) continue;
      bool above = false;
      RETURN_IF_ERROR(ScanPrefix(
          EventPrefix(claim_id),
          EventKey(claim_id, static_cast<uint64_t>(highest) + 1),
          [&above](absl::string_view, absl::string_view, absl::Status*) {
            above = true;
            return false;
          }));
      if (above) continue;
    }
    remember->emplace_back(claim_id, highest);
  }

  stats->set_format_version(kFormatVersion);
  batch->Put(ToSlice(kStatsKey), stats->SerializeAsString());
  return absl::OkStatus();
}

absl::StatusOr<bool> LevelDbStorage::Exists(absl::string_view key,
                                            std::string* value) {
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  const leveldb::Status s = db_->Get(options, ToSlice(key), value);
  if (s.IsNotFound()) return false;
  if (!s.ok()) return FromLevelDb(s, "read");
  return true;
}

template <typename T>
absl::StatusOr<T> LevelDbStorage::ReadRecord(absl::string_view key,
                                             absl::string_view what) {
  std::string value;
  ASSIGN_OR_RETURN(bool exists, Exists(key, &value));
  if (!exists) return absl::NotFoundError(absl::StrCat(what, " not found"));
  T record;
  RETURN_IF_ERROR(ParseRecord(key, value, &record));
  return record;
}

template <typename Fn>
absl::Status LevelDbStorage::ScanPrefix(absl::string_view prefix,
                                        absl::string_view start, Fn fn) {
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  // An iterator reads from an implicit snapshot: one consistent view.
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options));
  for (it->Seek(ToSlice(start)); it->Valid(); it->Next()) {
    absl::string_view key = ToView(it->key());
    if (!absl::StartsWith(key, prefix)) break;
    key.remove_prefix(prefix.size());
    absl::Status status = absl::OkStatus();
    if (!fn(key, ToView(it->value()), &status)) {
      RETURN_IF_ERROR(status);
      break;
    }
  }
  return FromLevelDb(it->status(), "scan");
}

uint64_t LevelDbStorage::LastSequence() const {
  return last_sequence_.load(std::memory_order_acquire);
}

absl::StatusOr<v1::Claim> LevelDbStorage::ReadClaim(
    absl::string_view claim_id) {
  const std::string what = absl::StrCat("claim \"", claim_id, "\"");
  if (!IsValidId(claim_id)) return absl::NotFoundError(what + " not found");
  return ReadRecord<v1::Claim>(ClaimKey(claim_id), what);
}

absl::StatusOr<v1::Source> LevelDbStorage::ReadSource(
    absl::string_view source_id) {
  uint64_t generation = 0;
  if (std::optional<v1::Source> cached =
          source_cache_.Find(source_id, &generation)) {
    return *std::move(cached);
  }
  const std::string what = absl::StrCat("source \"", source_id, "\"");
  if (!IsValidId(source_id)) return absl::NotFoundError(what + " not found");
  absl::StatusOr<v1::Source> source =
      ReadRecord<v1::Source>(SourceKey(source_id), what);
  if (source.ok()) {
    source_cache_.Insert(std::string(source_id), *source, generation);
  }
  return source;
}

absl::StatusOr<RequestRecord> LevelDbStorage::ReadRequest(
    absl::string_view request_id) {
  const std::string what = absl::StrCat("request \"", request_id, "\"");
  if (request_id.empty()) return absl::NotFoundError(what + " not found");
  return ReadRecord<RequestRecord>(RequestKey(request_id), what);
}

absl::StatusOr<std::vector<v1::Event>> LevelDbStorage::ReadEvents(
    absl::string_view claim_id, int64_t from_revision, int limit) {
  std::vector<v1::Event> events;
  if (!IsValidId(claim_id) || limit <= 0) return events;
  const std::string prefix = EventPrefix(claim_id);
  const std::string start = EventKey(
      claim_id, static_cast<uint64_t>(std::max<int64_t>(from_revision, 0)));
  RETURN_IF_ERROR(ScanPrefix(
      prefix, start,
      [&](absl::string_view key, absl::string_view value,
          absl::Status* status) {
        events.emplace_back();
        *status = ParseRecord(absl::StrCat(prefix, key), value, &events.back());
        return status->ok() && static_cast<int>(events.size()) < limit;
      }));
  return events;
}

absl::StatusOr<std::vector<EventRef>> LevelDbStorage::ReadLog(
    uint64_t after_sequence, int limit) {
  std::vector<EventRef> refs;
  if (limit <= 0 || after_sequence == UINT64_MAX) return refs;
  RETURN_IF_ERROR(ScanPrefix(
      "g/", LogKey(after_sequence + 1),
      [&](absl::string_view key, absl::string_view value,
          absl::Status* status) {
        EventRef ref;
        LogEntry entry;
        *status = ParseRecord(absl::StrCat("g/", key), value, &entry);
        if (status->ok() && !ParseU64(key, &ref.sequence)) {
          *status = absl::InternalError("malformed log key");
        }
        if (!status->ok()) return false;
        ref.claim_id = entry.claim_id();
        ref.revision = entry.revision();
        refs.push_back(std::move(ref));
        return static_cast<int>(refs.size()) < limit;
      }));
  return refs;
}

absl::StatusOr<std::vector<std::string>> LevelDbStorage::ScanClaims(
    std::optional<ClaimIndex> index, absl::string_view value,
    absl::string_view after_claim_id, int limit) {
  std::vector<std::string> ids;
  if (limit <= 0) return ids;
  const std::string prefix =
      index.has_value() ? IndexPrefix(*index, value) : std::string("c/");
  // after+"\0" is the least key strictly greater than after; ids hold no
  // '\0', so this starts exactly past `after_claim_id`.
  const std::string start = after_claim_id.empty()
                                ? prefix
                                : absl::StrCat(prefix, after_claim_id, kNul);
  RETURN_IF_ERROR(
      ScanPrefix(prefix, start,
                 [&](absl::string_view key, absl::string_view, absl::Status*) {
                   ids.emplace_back(key);
                   return static_cast<int>(ids.size()) < limit;
                 }));
  return ids;
}

absl::StatusOr<std::vector<v1::Source>> LevelDbStorage::ScanSources(
    absl::string_view after_source_id, int limit) {
  std::vector<v1::Source> sources;
  if (limit <= 0) return sources;
  const std::string start = after_source_id.empty()
                                ? std::string("s/")
                                : absl::StrCat("s/", after_source_id, kNul);
  RETURN_IF_ERROR(ScanPrefix(
      "s/", start,
      [&](absl::string_view key, absl::string_view value,
          absl::Status* status) {
        sources.emplace_back();
        *status = ParseRecord(absl::StrCat("s/", key), value, &sources.back());
        return status->ok() && static_cast<int>(sources.size()) < limit;
      }));
  return sources;
}

absl::Status LevelDbStorage::PutToken(const TokenRecord& record, bool create) {
  ASSIGN_OR_RETURN(std::string id, IdFromName(record.token().name(), "tokens"));
  const std::string key = TokenKey(id);
  // Under commit_mu_: the existence check and the write are one step, and a
  // failed write latches write_error_ exactly as a failed Commit does.
  absl::MutexLock lock(&commit_mu_);
  if (!write_error_.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "storage is read-only after a failed write: ", write_error_.message(),
        "; restart the server to recover"));
  }
  std::string scratch;
  ASSIGN_OR_RETURN(bool exists, Exists(key, &scratch));
  if (create && exists) {
    return absl::AlreadyExistsError(
        absl::StrCat(record.token().name(), " already exists"));
  }
  if (!create && !exists) {
    return absl::NotFoundError(
        absl::StrCat(record.token().name(), " not found"));
  }
  leveldb::WriteOptions options;
  options.sync = sync_;
  const leveldb::Status s =
      db_->Put(options, ToSlice(key), record.SerializeAsString());
  if (!s.ok()) {
    write_error_ = FromLevelDb(s, absl::StrCat("write token to ", path_));
    LogError("storage: %s; refusing further writes until restart",
             write_error_.ToString());
    return write_error_;
  }
  return absl::OkStatus();
}

absl::StatusOr<TokenRecord> LevelDbStorage::ReadToken(
    absl::string_view token_id) {
  const std::string what = absl::StrCat("tokens/", token_id);
  if (!IsValidId(token_id)) return absl::NotFoundError(what + " not found");
  return ReadRecord<TokenRecord>(TokenKey(token_id), what);
}

absl::StatusOr<std::vector<TokenRecord>> LevelDbStorage::ScanTokens(
    absl::string_view after_token_id, int limit) {
  std::vector<TokenRecord> tokens;
  if (limit <= 0) return tokens;
  const std::string start = after_token_id.empty()
                                ? std::string("t/")
                                : absl::StrCat("t/", after_token_id, kNul);
  RETURN_IF_ERROR(ScanPrefix(
      "t/", start,
      [&](absl::string_view key, absl::string_view value,
          absl::Status* status) {
        tokens.emplace_back();
        *status = ParseRecord(absl::StrCat("t/", key), value, &tokens.back());
        return status->ok() && static_cast<int>(tokens.size()) < limit;
      }));
  return tokens;
}

StorageStats LevelDbStorage::Stats() {
  StorageStats out;
  out.last_sequence = last_sequence_.load(std::memory_order_acquire);
  out.claim_count = claim_count_.load(std::memory_order_relaxed);
  out.source_count = source_count_.load(std::memory_order_relaxed);
  // Every key starts with an ASCII letter, so ["", "\xff") covers them all.
  const leveldb::Range all("", "\xff");
  uint64_t bytes = 0;
  db_->GetApproximateSizes(&all, 1, &bytes);
  // GetApproximateSizes sees tables only: writes still in the memtables
  // would not count until LevelDB flushes them (8 MB of them, by default).
  // "approximate-memory-usage" is the memtables plus the block cache,
  // which is ours to subtract; read apart, the two may disagree a little,
  // hence the guard.
  std::string memory;
  uint64_t usage = 0;
  if (db_->GetProperty("leveldb.approximate-memory-usage", &memory) &&
      absl::SimpleAtoi(memory, &usage)) {
    const uint64_t cached = cache_->TotalCharge();
    if (usage > cached) bytes += usage - cached;
  }
  out.approximate_bytes = static_cast<int64_t>(bytes);
  return out;
}

// --- Open -------------------------------------------------------------------

namespace {

// mkdir -p through `env`, so tests with a fake Env work too.
absl::Status CreateDirs(leveldb::Env* env, const std::string& path) {
  std::string prefix = absl::StartsWith(path, "/") ? "/" : "";
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    absl::StrAppend(&prefix, part);
    if (!env->FileExists(prefix)) {
      const leveldb::Status s = env->CreateDir(prefix);
      if (!s.ok() && !env->FileExists(prefix)) {  // Lost a race: fine.
        return absl::PermissionDeniedError(absl::StrCat(
            "cannot create data directory ", path, ": ", s.ToString()));
      }
    }
    prefix.push_back('/');
  }
  return absl::OkStatus();
}

absl::Status OpenError(const leveldb::Status& s, const std::string& path) {
  const std::string text = s.ToString();
  // LevelDB 1.23: "IO error: lock <path>/LOCK: already held by process" (this
  // process) or "...: Resource temporarily unavailable" (another one).
  if (absl::StrContains(text, "IO error: lock ")) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory ", path,
                     " is in use by another process (LevelDB LOCK): ", text));
  }
  if (absl::StrContains(text, "Permission denied") ||
      absl::StrContains(text, "Read-only file system")) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write data directory ", path, ": ", text));
  }
  if (s.IsCorruption()) {
    return absl::DataLossError(absl::StrCat("database at ", path,
                                            " is corrupt: ", text,
                                            "; run `claimtrail fsck`"));
  }
  return FromLevelDb(s, absl::StrCat("open ", path));
}

// Starts the range of events whose changes are complete (COMPLETE CHANGES
// above) after the last event, unless this code wrote every event since
// the range began.
void ResumeCompleteChanges(StoredStats* stats) {
  if (stats->complete_changes_from() > 0 &&
      stats->complete_changes_through() == stats->last_sequence()) {
    return;
  }
  stats->set_complete_changes_from(stats->last_sequence() + 1);
  stats->set_complete_changes_through(stats->last_sequence());
}

// Whether the "x/token/" entries were all written by this Tokenize (WORD
// INDEX VERSION above).
bool WordIndexIsCurrent(const StoredStats& stats) {
  return stats.word_index_version() == kTokenizerVersion &&
         stats.word_index_through() == stats.last_sequence();
}

void StampWordIndex(StoredStats* stats) {
  stats->set_word_index_version(kTokenizerVersion);
  stats->set_word_index_through(stats->last_sequence());
}

// Writes `batch` (unsynced: the stats write that ends a rebuild is synced,
// and LevelDB's log keeps writes in order) once it has grown past a few MB,
// or when `force`.
absl::Status FlushRebuild(leveldb::DB* db, leveldb::WriteBatch* batch,
                          bool force) {
  constexpr size_t kBatchBytes = 4 << 20;
  if (batch->ApproximateSize() < kBatchBytes && !force) {
    return absl::OkStatus();
  }
  const leveldb::Status s = db->Write(leveldb::WriteOptions(), batch);
  batch->Clear();
  return FromLevelDb(s, "rebuild the word index");
}

// Rebuilds the "x/token/" entries from the claims and stamps `stats` with
// this tokenizer's version (WORD INDEX VERSION above).
absl::Status RebuildWordIndex(leveldb::DB* db, const std::string& path,
                              StoredStats* stats) {
  LogInfo(
      "rebuilding the word index of %s (written by tokenizer version %d%s; "
      "this binary's is %d) for %d claims",
      path, stats->word_index_version(),
      stats->word_index_through() == stats->last_sequence()
          ? ""
          : ", then written to by an older binary",
      kTokenizerVersion, stats->claim_count());
  const absl::Time start = absl::Now();
  leveldb::ReadOptions read;
  read.fill_cache = false;
  leveldb::WriteBatch batch;
  const std::string token_prefix =
      absl::StrCat("x/", ClaimIndexName(ClaimIndex::kToken), "/");
  int64_t deleted = 0;
  {
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(read));
    for (it->Seek(token_prefix);
         it->Valid() && it->key().starts_with(token_prefix); it->Next()) {
      batch.Delete(it->key());
      ++deleted;
      RETURN_IF_ERROR(FlushRebuild(db, &batch, false));
    }
    RETURN_IF_ERROR(FromLevelDb(it->status(), "rebuild the word index"));
  }
  int64_t written = 0;
  int64_t claims = 0;
  {
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(read));
    for (it->Seek("c/"); it->Valid() && it->key().starts_with("c/");
         it->Next()) {
      const std::string key = it->key().ToString();
      v1::Claim claim;
      RETURN_IF_ERROR(ParseRecord(key, it->value().ToString(), &claim));
      const absl::string_view claim_id = absl::string_view(key).substr(2);
      for (const auto& [index, value] : ClaimIndexValues(claim, true)) {
        if (index != ClaimIndex::kToken) continue;
        batch.Put(absl::StrCat(IndexPrefix(index, value), claim_id), "");
        ++written;
      }
      ++claims;
      RETURN_IF_ERROR(FlushRebuild(db, &batch, false));
    }
    RETURN_IF_ERROR(FromLevelDb(it->status(), "rebuild the word index"));
  }
  RETURN_IF_ERROR(FlushRebuild(db, &batch, true));
  StampWordIndex(stats);
  leveldb::WriteOptions synced;
  synced.sync = true;
  RETURN_IF_ERROR(FromLevelDb(
      db->Put(synced, ToSlice(kStatsKey), stats->SerializeAsString()),
      "rebuild the word index: stats"));
  LogInfo(
      "rebuilt the word index of %s: %d claims, %d entries deleted, %d "
      "written, in %.1f s",
      path, claims, deleted, written,
      absl::ToDoubleSeconds(absl::Now() - start));
  return absl::OkStatus();
}

// Loads StoredStats, stamping a fresh database with the format version.
absl::StatusOr<StoredStats> LoadStats(leveldb::DB* db,
                                      const std::string& path) {
  leveldb::ReadOptions read;
  read.verify_checksums = true;
  std::string value;
  leveldb::Status s = db->Get(read, ToSlice(kStatsKey), &value);
  StoredStats stats;
  if (s.IsNotFound()) {
    std::unique_ptr<leveldb::Iterator> it(db->NewIterator(read));
    it->SeekToFirst();
    RETURN_IF_ERROR(FromLevelDb(it->status(), "open: scan"));
    if (it->Valid()) {
      return absl::DataLossError(absl::StrCat(
          "database at ", path,
          " has records but no stats record; run `claimtrail fsck`"));
    }
    stats.set_format_version(kFormatVersion);
    ResumeCompleteChanges(&stats);
    StampWordIndex(&stats);
    leveldb::WriteOptions write;
    write.sync = true;
    s = db->Put(write, ToSlice(kStatsKey), stats.SerializeAsString());
    RETURN_IF_ERROR(FromLevelDb(s, absl::StrCat("initialize ", path)));
    return stats;
  }
  if (!s.ok()) return OpenError(s, path);
  if (!stats.ParseFromString(value)) {
    return absl::DataLossError(
        absl::StrCat("database at ", path,
                     " has a corrupt stats record; run `claimtrail fsck`"));
  }
  if (stats.format_version() > kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database at ", path, " has format version ", stats.format_version(),
        "; this binary reads up to version ", kFormatVersion));
  }
  ResumeCompleteChanges(&stats);
  return stats;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Storage>> OpenLevelDbStorage(
    const LevelDbOptions& options) {
  ASSIGN_OR_RETURN(LevelDbDatabase database, OpenLevelDbDatabase(options));
  return std::move(database.storage);
}

absl::StatusOr<LevelDbDatabase> OpenLevelDbDatabase(
    const LevelDbOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("storage path is empty");
  }
  leveldb::Env* env = options.env ? options.env : PreadEnv();
  RETURN_IF_ERROR(CreateDirs(env, options.path));
  // Without a caller's Env: tables read with pread, the log preallocated.
  std::unique_ptr<leveldb::Env> owned_env;
  if (options.env == nullptr) {
    WalEnvOptions wal;
    wal.dir = options.path;
    if (options.preallocate_log) {
      wal.preallocate_bytes = PreallocatedLogBytes(options);
    }
    owned_env = NewWalEnv(env, std::move(wal));
    env = owned_env.get();
  }

  std::unique_ptr<leveldb::Cache> cache(
      leveldb::NewLRUCache(options.block_cache_bytes));
  leveldb::Options lo;
  lo.create_if_missing = true;
  // Fail the open on a damaged log or table instead of silently dropping
  // records: a ledger must not lose acknowledged history quietly. A torn
  // tail (crash mid-append) is still accepted as end of log.
  lo.paranoid_checks = true;
  lo.env = env;
  lo.block_cache = cache.get();
  // Most point reads are misses: the existence checks of every commit (new
  // event keys, new request ids) and first-time request ids. A Bloom filter
  // per table answers those from memory instead of reading a data block
  // from every level. Tables written before it simply have no filter.
  std::unique_ptr<const leveldb::FilterPolicy> filter(
      leveldb::NewBloomFilterPolicy(10));
  lo.filter_policy = filter.get();
  // Each open table holds a descriptor, its index block and its filter in
  // memory; bound them (LevelDB's default is 1,000).
  lo.max_open_files = options.max_open_files;
  lo.write_buffer_size = options.write_buffer_bytes;
  leveldb::DB* raw = nullptr;
  const leveldb::Status s = leveldb::DB::Open(lo, options.path, &raw);
  if (!s.ok()) return OpenError(s, options.path);
  std::unique_ptr<leveldb::DB> db(raw);

  ASSIGN_OR_RETURN(StoredStats stats, LoadStats(db.get(), options.path));
  if (!WordIndexIsCurrent(stats)) {
    RETURN_IF_ERROR(RebuildWordIndex(db.get(), options.path, &stats));
  }
  auto storage = std::make_unique<LevelDbStorage>(
      options.path, std::move(owned_env), std::move(cache), std::move(filter),
      std::move(db), options.sync, std::move(stats));
  LevelDbDatabase database;
  database.tokens = storage.get();
  database.storage = std::move(storage);
  return database;
}

}  // namespace storage
}  // namespace claimtrail
