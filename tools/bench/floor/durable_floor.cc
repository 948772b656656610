#include "tools/bench/floor/durable_floor.h"

#include <algorithm>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "leveldb/cache.h"
#include "leveldb/db.h"
#include "leveldb/env.h"
#include "leveldb/filter_policy.h"
#include "leveldb/write_batch.h"
#include "server/storage/leveldb_storage.h"
#include "server/storage/pread_env.h"
#include "server/storage/wal_env.h"

namespace claimtrail {
namespace bench {
namespace {

// Filler for the parts of a record that are not the caller's statement:
// pseudo-random lower-case text, which Snappy compresses about as little as
// the benchmark's statements.
std::string Filler(size_t bytes) {
  std::string out(bytes, ' ');
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (char& c : out) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>('a' + (state >> 33) % 26);
  }
  return out;
}

// `copies` copies of `text`, cut at `bytes`, then topped up to exactly
// `bytes` from `filler` at `offset` (wrapping).
std::string Record(absl::string_view text, int copies, size_t bytes,
                   absl::string_view filler, size_t offset) {
  std::string out;
  out.reserve(bytes);
  for (int i = 0; i < copies && out.size() < bytes; ++i) {
    absl::StrAppend(&out, text.substr(0, bytes - out.size()));
  }
  while (out.size() < bytes) {
    const size_t at = offset % filler.size();
    const size_t take = std::min(bytes - out.size(), filler.size() - at);
    absl::StrAppend(&out, filler.substr(at, take));
    offset += take;
  }
  return out;
}

struct QueuedCall {
  const v1::RecordStanceRequest* request;
  v1::Claim* response;
  grpc::ServerUnaryReactor* reactor;
};

}  // namespace

class DurableFloor::Impl {
 public:
  Impl(DurableFloorOptions options, std::unique_ptr<leveldb::Env> env,
       std::unique_ptr<leveldb::Cache> cache,
       std::unique_ptr<const leveldb::FilterPolicy> filter,
       std::unique_ptr<leveldb::DB> db)
      : options_(std::move(options)),
        filler_(Filler(64 << 10)),
        env_(std::move(env)),
        cache_(std::move(cache)),
        filter_(std::move(filter)),
        db_(std::move(db)) {}

  ~Impl() { db_.reset(); }  // Before the Env, cache and filter it uses.

  grpc::ServerUnaryReactor* RecordStance(grpc::CallbackServerContext* context,
                                         const v1::RecordStanceRequest* request,
                                         v1::Claim* response) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back({request, response, reactor});
      if (writing_) return reactor;  // The writing thread answers it.
      writing_ = true;
    }
    WriteQueued();
    return reactor;
  }

 private:
  // On the thread that set writing_: writes and answers groups until the
  // queue is empty.
  void WriteQueued() {
    std::vector<QueuedCall> group;
    while (true) {
      group.clear();
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.empty()) {
          writing_ = false;
          return;
        }
        group.swap(queue_);
      }
      const leveldb::Status written = WriteGroup(group);
      for (const QueuedCall& call : group) {
        if (written.ok()) {
          Answer(*call.request, call.response);
          call.reactor->Finish(grpc::Status::OK);
        } else {
          call.reactor->Finish(grpc::Status(
              grpc::StatusCode::UNAVAILABLE,
              absl::StrCat("durable floor: ", written.ToString())));
        }
      }
    }
  }

  leveldb::Status WriteGroup(const std::vector<QueuedCall>& group) {
    leveldb::WriteBatch batch;
    for (const QueuedCall& call : group) {
      const uint64_t sequence = ++sequence_;
      const std::string& claim = call.request->claim();
      const std::string& statement = call.request->stance().statement();
      const size_t offset = sequence * 4099;
      batch.Put(absl::StrFormat("e/%s/%012d", claim, sequence),
                Record(statement, 2, options_.event_bytes, filler_, offset));
      batch.Put(absl::StrFormat("g/%012d", sequence),
                Record("", 0, options_.log_entry_bytes, filler_, offset));
      batch.Put(absl::StrCat("c/", claim),
                Record(statement, 1, options_.claim_bytes, filler_, offset));
      batch.Put(absl::StrCat("r/", call.request->request_id()),
                Record("", 0, options_.request_bytes, filler_, offset));
    }
    batch.Put("m/stats",
              Record("", 0, options_.stats_bytes, filler_, sequence_));
    leveldb::WriteOptions sync;
    sync.sync = true;
    return db_->Write(sync, &batch);
  }

  // A claim of about the size claimtrail answers an append with.
  void Answer(const v1::RecordStanceRequest& request, v1::Claim* claim) const {
    claim->set_name(request.claim());
    claim->set_text(filler_.substr(0, 160));
    claim->add_topics("benchmark");
    claim->set_language("en");
    *claim->add_stances() = request.stance();
    claim->set_state(v1::CLAIM_STATE_UNCONFIRMED);
    claim->set_state_summary("unconfirmed by the benchmark writer");
    claim->set_revision(static_cast<int64_t>(sequence_));
    claim->set_creator("users/benchmark");
    claim->set_etag(filler_.substr(160, 16));
  }

  const DurableFloorOptions options_;
  const std::string filler_;
  std::unique_ptr<leveldb::Env> env_;
  std::unique_ptr<leveldb::Cache> cache_;
  std::unique_ptr<const leveldb::FilterPolicy> filter_;
  std::unique_ptr<leveldb::DB> db_;
  std::mutex mu_;
  std::vector<QueuedCall> queue_;  // Guarded by mu_.
  bool writing_ = false;           // Guarded by mu_.
  uint64_t sequence_ = 0;          // Only the writing thread touches it.
};

absl::StatusOr<std::unique_ptr<DurableFloor>> DurableFloor::Open(
    DurableFloorOptions options) {
  if (options.dir.empty()) {
    return absl::InvalidArgumentError("durable floor: dir is empty");
  }
  // claimtraild's settings, so that the floor differs from it only in
  // what it does per call.
  const storage::LevelDbOptions claimtraild;
  leveldb::Env* base = storage::PreadEnv();
  base->CreateDir(options.dir);  // An error shows in Open below.
  storage::WalEnvOptions wal;
  wal.dir = options.dir;
  wal.preallocate_bytes = storage::PreallocatedLogBytes(claimtraild);
  std::unique_ptr<leveldb::Env> env = storage::NewWalEnv(base, wal);
  std::unique_ptr<leveldb::Cache> cache(
      leveldb::NewLRUCache(claimtraild.block_cache_bytes));
  std::unique_ptr<const leveldb::FilterPolicy> filter(
      leveldb::NewBloomFilterPolicy(10));
  leveldb::Options lo;
  lo.create_if_missing = true;
  lo.paranoid_checks = true;
  lo.env = env.get();
  lo.block_cache = cache.get();
  lo.filter_policy = filter.get();
  lo.max_open_files = claimtraild.max_open_files;
  lo.write_buffer_size = claimtraild.write_buffer_bytes;

  // A new directory's first log is appended to (no spare exists yet); a
  // database reopened once the spare is ready writes its log into it.
  const std::string spare = options.dir + "/wal-spare";
  for (int attempt = 0; attempt < 2; ++attempt) {
    leveldb::DB* raw = nullptr;
    const leveldb::Status s = leveldb::DB::Open(lo, options.dir, &raw);
    if (!s.ok()) {
      return absl::UnavailableError(absl::StrCat(
          "durable floor: cannot open ", options.dir, ": ", s.ToString()));
    }
    std::unique_ptr<leveldb::DB> db(raw);
    if (attempt == 1) {
      return std::unique_ptr<DurableFloor>(
          new DurableFloor(std::make_unique<Impl>(
              std::move(options), std::move(env), std::move(cache),
              std::move(filter), std::move(db))));
    }
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (!env->FileExists(spare) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  }
  return absl::InternalError("unreachable");
}

DurableFloor::DurableFloor(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

DurableFloor::~DurableFloor() = default;

grpc::ServerUnaryReactor* DurableFloor::RecordStance(
    grpc::CallbackServerContext* context,
    const v1::RecordStanceRequest* request, v1::Claim* response) {
  return impl_->RecordStance(context, request, response);
}

}  // namespace bench
}  // namespace claimtrail
