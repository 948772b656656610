// SourceCache: sources kept in memory in front of LevelDB.
//
// Every claim read names its parties (the state summary says "denied by
// Russia's defence ministry"), so a GetClaim reads one source record per
// party. Sources are few next to claims and change rarely, so the storage
// keeps the ones it has read, parsed, and updates them in the same critical
// section as the commit that changes them.
//
// Thread-safe. std::mutex rather than absl::Mutex: see committer.h (TSan).
#ifndef CLAIMTRAIL_SERVER_STORAGE_SOURCE_CACHE_H_
#define CLAIMTRAIL_SERVER_STORAGE_SOURCE_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "proto/claimtrail/v1/resources.pb.h"

namespace claimtrail {
namespace storage {

class SourceCache {
 public:
  // Holds at most `capacity` sources; when full, it starts over (a cheap
  // bound; a working set larger than `capacity` just reads LevelDB).
  explicit SourceCache(size_t capacity) : capacity_(capacity) {}

  // The cached source `id`, or nullopt. Sets `*generation` to pass to
  // Insert after reading storage on a miss.
  std::optional<v1::Source> Find(absl::string_view id, uint64_t* generation);

  // Caches `source`, read from storage after Find returned `generation`,
  // unless a commit changed sources since (the read may be older than it).
  void Insert(const std::string& id, const v1::Source& source,
              uint64_t generation);

  // A commit wrote `sources` (keyed by id): they replace what is cached.
  void Update(const std::vector<std::pair<std::string, v1::Source>>& sources);

 private:
  const size_t capacity_;
  std::mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, v1::Source> sources_ ABSL_GUARDED_BY(mu_);
};

}  // namespace storage
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_STORAGE_SOURCE_CACHE_H_
