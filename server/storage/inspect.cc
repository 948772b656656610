// Decodes the key grammar written down in leveldb_storage.cc (format
// version 1). Any change there must change the decoder here in step;
// inspect_test.cc fails otherwise.
#include "server/storage/inspect.h"

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/iterator.h"
#include "leveldb/options.h"
#include "leveldb/status.h"
#include "leveldb/write_batch.h"
#include "server/storage/claim_index.h"
#include "server/storage/wal_env.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace storage {
namespace {

constexpr char kNul = '\0';
constexpr ClaimIndex kAllIndexes[] = {ClaimIndex::kSource, ClaimIndex::kParty,
                                      ClaimIndex::kState, ClaimIndex::kTopic,
                                      ClaimIndex::kToken};

absl::string_view Prefix(RecordType type) {
  switch (type) {
    case RecordType::kClaim:
      return "c/";
    case RecordType::kEvent:
      return "e/";
    case RecordType::kLog:
      return "g/";
    case RecordType::kStats:
      return "m/";
    case RecordType::kRequest:
      return "r/";
    case RecordType::kSource:
      return "s/";
    case RecordType::kToken:
      return "t/";
    case RecordType::kIndex:
      return "x/";
  }
  return "?/";
}

leveldb::Slice ToSlice(absl::string_view s) { return {s.data(), s.size()}; }
absl::string_view ToView(const leveldb::Slice& s) {
  return {s.data(), s.size()};
}

absl::Status FromLevelDb(const leveldb::Status& s, absl::string_view op) {
  if (s.ok()) return absl::OkStatus();
  const std::string msg = absl::StrCat(op, ": ", s.ToString());
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsIOError()) {
    if (absl::StrContains(msg, "lock ")) {
      return absl::FailedPreconditionError(
          absl::StrCat(msg, " (is claimtraild still running on it?)"));
    }
    return absl::UnavailableError(msg);
  }
  if (s.IsInvalidArgument() && absl::StrContains(msg, "does not exist")) {
    return absl::NotFoundError(msg);
  }
  return absl::InternalError(msg);
}

// The id grammar of claims and sources: 1-63 bytes of [a-z0-9-].
bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

bool ParseU64(absl::string_view in, uint64_t* v) {
  if (in.size() != 8) return false;
  *v = 0;
  for (char c : in) *v = (*v << 8) | static_cast<unsigned char>(c);
  return true;
}

// Inverse of the byte stuffing of index values: 01 01 -> 00, 01 02 -> 01.
std::optional<std::string> Unescape(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\x01') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 1 == in.size()) return std::nullopt;
    const char next = in[++i];
    if (next == '\x01') {
      out.push_back('\0');
    } else if (next == '\x02') {
      out.push_back('\x01');
    } else {
      return std::nullopt;
    }
  }
  return out;
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

// Decodes `key` (which starts with Prefix(type)) into `record`; on failure
// returns the reason.
std::optional<std::string> DecodeKey(RecordType type, absl::string_view key,
                                     RawRecord* record) {
  absl::string_view rest = key.substr(2);
  record->type = type;
  switch (type) {
    case RecordType::kClaim:
    case RecordType::kSource:
    case RecordType::kToken:
      if (!IsValidId(rest)) return "id is not 1-63 bytes of [a-z0-9-]";
      record->id = std::string(rest);
      return std::nullopt;
    case RecordType::kEvent: {
      const size_t nul = rest.find(kNul);
      if (nul == absl::string_view::npos) return "no NUL after the claim id";
      if (!IsValidId(rest.substr(0, nul))) {
        return "claim id is not 1-63 bytes of [a-z0-9-]";
      }
      if (!ParseU64(rest.substr(nul + 1), &record->number)) {
        return "revision is not 8 bytes";
      }
      record->id = std::string(rest.substr(0, nul));
      return std::nullopt;
    }
    case RecordType::kLog:
      if (!ParseU64(rest, &record->number)) return "sequence is not 8 bytes";
      return std::nullopt;
    case RecordType::kStats:
      if (rest != "stats") return "unknown m/ key (only m/stats exists)";
      return std::nullopt;
    case RecordType::kRequest:
      if (rest.empty()) return "empty request id";
      record->id = std::string(rest);
      return std::nullopt;
    case RecordType::kIndex: {
      const size_t slash = rest.find('/');
      if (slash == absl::string_view::npos) return "no '/' after index name";
      const absl::string_view name = rest.substr(0, slash);
      bool known = false;
      for (ClaimIndex index : kAllIndexes) {
        if (ClaimIndexName(index) == name) {
          record->index = index;
          known = true;
        }
      }
      if (!known) return absl::StrCat("unknown index \"", name, "\"");
      rest.remove_prefix(slash + 1);
      const size_t nul = rest.find(kNul);
      if (nul == absl::string_view::npos) return "no NUL after the value";
      std::optional<std::string> value = Unescape(rest.substr(0, nul));
      if (!value.has_value()) return "value is not validly escaped";
      if (!IsValidId(rest.substr(nul + 1))) {
        return "claim id is not 1-63 bytes of [a-z0-9-]";
      }
      record->index_value = std::move(*value);
      record->id = std::string(rest.substr(nul + 1));
      return std::nullopt;
    }
  }
  return "unknown record type";
}

}  // namespace

std::string DescribeKey(const RawRecord& record) {
  switch (record.type) {
    case RecordType::kClaim:
    case RecordType::kSource:
    case RecordType::kToken:
    case RecordType::kRequest:
      return absl::StrCat(Prefix(record.type), record.id);
    case RecordType::kEvent:
      return absl::StrCat("e/", record.id, "#", record.number);
    case RecordType::kLog:
      return absl::StrCat("g/", record.number);
    case RecordType::kStats:
      return "m/stats";
    case RecordType::kIndex:
      return absl::StrCat("x/", ClaimIndexName(record.index), "/",
                          absl::CHexEscape(record.index_value), "#", record.id);
  }
  return absl::CHexEscape(record.key);
}

RawLedger::RawLedger(std::unique_ptr<leveldb::Env> env,
                     std::unique_ptr<leveldb::DB> db)
    : env_(std::move(env)), db_(std::move(db)) {}
RawLedger::~RawLedger() = default;

absl::StatusOr<std::unique_ptr<RawLedger>> RawLedger::Open(
    const std::string& path, leveldb::Env* env) {
  leveldb::Options options;
  options.create_if_missing = false;
  options.paranoid_checks = true;
  // A server's log may be preallocated: read it the way the server does.
  // (The log this open starts is appended; the server reading it later
  // copes with both.)
  std::unique_ptr<leveldb::Env> owned_env;
  if (env == nullptr) {
    WalEnvOptions wal;
    wal.dir = path;
    owned_env = NewWalEnv(leveldb::Env::Default(), std::move(wal));
    env = owned_env.get();
  }
  options.env = env;
  leveldb::DB* raw = nullptr;
  RETURN_IF_ERROR(FromLevelDb(leveldb::DB::Open(options, path, &raw),
                              absl::StrCat("open ", path)));
  return std::unique_ptr<RawLedger>(
      new RawLedger(std::move(owned_env), std::unique_ptr<leveldb::DB>(raw)));
}

absl::Status RawLedger::Scan(
    RecordType type, const std::function<bool(const RawRecord&)>& fn,
    const std::function<void(absl::string_view, absl::string_view)>& bad_key) {
  const absl::string_view prefix = Prefix(type);
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options));
  for (it->Seek(ToSlice(prefix)); it->Valid(); it->Next()) {
    const absl::string_view key = ToView(it->key());
    if (!absl::StartsWith(key, prefix)) break;
    RawRecord record;
    if (std::optional<std::string> bad = DecodeKey(type, key, &record)) {
      if (bad_key) bad_key(key, *bad);
      continue;
    }
    record.key = std::string(key);
    record.value = std::string(ToView(it->value()));
    if (!fn(record)) break;
  }
  return FromLevelDb(it->status(), "scan");
}

absl::Status RawLedger::ScanUnknownKeys(
    const std::function<void(absl::string_view)>& fn) {
  std::set<char> known;
  for (RecordType type :
       {RecordType::kClaim, RecordType::kEvent, RecordType::kLog,
        RecordType::kStats, RecordType::kRequest, RecordType::kSource,
        RecordType::kToken, RecordType::kIndex}) {
    known.insert(Prefix(type)[0]);
  }
  leveldb::ReadOptions options;
  options.verify_checksums = true;
  options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options));
  for (it->SeekToFirst(); it->Valid();) {
    const absl::string_view key = ToView(it->key());
    if (key.size() >= 2 && key[1] == '/' && known.count(key[0])) {
      // Skip the whole known key space: seek past "{letter}/" + 0xff...
      // which is the start of "{letter}0" (the byte after '/').
      it->Seek(ToSlice(std::string{key[0], '/' + 1}));
      continue;
    }
    fn(key);
    it->Next();
  }
  return FromLevelDb(it->status(), "scan");
}

std::string RawLedger::IndexEntryKey(ClaimIndex index, absl::string_view value,
                                     absl::string_view claim_id) {
  return absl::StrCat("x/", ClaimIndexName(index), "/", Escape(value),
                      absl::string_view(&kNul, 1), claim_id);
}

absl::StatusOr<RawLedger::IndexRewrite> RawLedger::RewriteIndexes(
    const std::vector<v1::Claim>& claims) {
  IndexRewrite counts;
  leveldb::WriteBatch batch;
  RETURN_IF_ERROR(Scan(
      RecordType::kIndex,
      [&](const RawRecord& record) {
        batch.Delete(ToSlice(record.key));
        ++counts.deleted;
        return true;
      },
      [&](absl::string_view key, absl::string_view) {
        batch.Delete(ToSlice(key));  // Undecodable entries go too.
        ++counts.deleted;
      }));
  // Deletes and puts of the same key in one batch: the later op wins, so an
  // entry that stays is deleted and put back, atomically.
  for (const v1::Claim& claim : claims) {
    absl::string_view id = claim.name();
    if (!absl::ConsumePrefix(&id, "claims/") || !IsValidId(id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed claim name \"", claim.name(), "\""));
    }
    for (const auto& [index, value] : ClaimIndexValues(claim)) {
      batch.Put(ToSlice(IndexEntryKey(index, value, id)), leveldb::Slice());
      ++counts.written;
    }
  }
  leveldb::WriteOptions write;
  write.sync = true;
  RETURN_IF_ERROR(FromLevelDb(db_->Write(write, &batch), "rewrite indexes"));
  return counts;
}

absl::Status RawLedger::PutRaw(absl::string_view key, absl::string_view value) {
  leveldb::WriteOptions write;
  write.sync = true;
  return FromLevelDb(db_->Put(write, ToSlice(key), ToSlice(value)), "put");
}

absl::Status RawLedger::DeleteRaw(absl::string_view key) {
  leveldb::WriteOptions write;
  write.sync = true;
  return FromLevelDb(db_->Delete(write, ToSlice(key)), "delete");
}

}  // namespace storage
}  // namespace claimtrail
