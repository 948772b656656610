#include "server/core/auth/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace claimtrail {
namespace core {
namespace auth {

RateLimiter::RateLimiter(RateLimit limit, std::function<absl::Time()> now)
    : limit_(limit), now_(std::move(now)) {}

std::optional<absl::Duration> RateLimiter::Acquire(
    absl::string_view principal) {
  if (limit_.requests_per_second <= 0) return std::nullopt;
  const double capacity = std::max(1.0, limit_.burst);
  const absl::Time now = now_();
  absl::MutexLock lock(&mu_);
  auto [it, inserted] =
      buckets_.try_emplace(std::string(principal), Bucket{capacity, now});
  Bucket& bucket = it->second;
  if (!inserted && now > bucket.refilled) {
    const double earned = absl::ToDoubleSeconds(now - bucket.refilled) *
                          limit_.requests_per_second;
    bucket.tokens = std::min(capacity, bucket.tokens + earned);
    bucket.refilled = now;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait_seconds =
      (1.0 - bucket.tokens) / limit_.requests_per_second;
  // Round up to a whole millisecond: "retry after 0 ms" would invite a
  // busy loop.
  return absl::Milliseconds(std::max(1.0, std::ceil(wait_seconds * 1000)));
}

}  // namespace auth
}  // namespace core
}  // namespace claimtrail
