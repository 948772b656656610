// RateLimiter: a token bucket per principal, so that one caller cannot
// starve the others (or the disk) with requests.
//
// Each principal's bucket holds up to `burst` requests and refills at
// `requests_per_second`; a request takes one. An empty bucket answers with
// how long until one request is available again.
//
// Thread safety: all methods may be called concurrently.
#ifndef CLAIMTRAIL_SERVER_CORE_AUTH_RATE_LIMITER_H_
#define CLAIMTRAIL_SERVER_CORE_AUTH_RATE_LIMITER_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace claimtrail {
namespace core {
namespace auth {

struct RateLimit {
  // Sustained requests per second per principal. <= 0: no limit.
  double requests_per_second = 10000;
  // Requests a principal may make at once after being idle (>= 1).
  double burst = 20000;
};

class RateLimiter {
 public:
  // `now` is the clock; tests inject their own.
  explicit RateLimiter(RateLimit limit,
                       std::function<absl::Time()> now = &absl::Now);

  // Takes one request from `principal`'s bucket.
  // nullopt: admitted. Otherwise: refused, and the time until the bucket
  // holds a whole request again (> 0).
  std::optional<absl::Duration> Acquire(absl::string_view principal);

  const RateLimit& limit() const { return limit_; }

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time refilled;
  };

  const RateLimit limit_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  // One bucket per principal seen; principals are bound to tokens, so this
  // is bounded by the number of principals an admin has issued tokens to.
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace auth
}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_AUTH_RATE_LIMITER_H_
