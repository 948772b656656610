#include "server/storage/source_cache.h"

#include <utility>

namespace claimtrail {
namespace storage {

std::optional<v1::Source> SourceCache::Find(absl::string_view id,
                                            uint64_t* generation) {
  std::lock_guard<std::mutex> lock(mu_);
  *generation = generation_;
  auto it = sources_.find(id);
  if (it == sources_.end()) return std::nullopt;
  return it->second;
}

void SourceCache::Insert(const std::string& id, const v1::Source& source,
                         uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (generation != generation_ || capacity_ == 0) return;
  if (sources_.size() >= capacity_) sources_.clear();
  sources_.insert_or_assign(id, source);
}

void SourceCache::Update(
    const std::vector<std::pair<std::string, v1::Source>>& sources) {
  if (sources.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  ++generation_;
  for (const auto& [id, source] : sources) {
    auto it = sources_.find(id);
    if (it != sources_.end()) it->second = source;
  }
}

}  // namespace storage
}  // namespace claimtrail
