#include "server/core/auth/rate_limiter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace core {
namespace auth {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  RateLimiter Limiter(double rps, double burst) {
    return RateLimiter(RateLimit{rps, burst}, [this] { return now_; });
  }
  absl::Time now_ = absl::FromUnixSeconds(1742515200);
};

TEST_F(RateLimiterTest, BurstThenRefillsAtTheRate) {
  RateLimiter limiter = Limiter(/*rps=*/10, /*burst=*/3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("users/alice"), std::nullopt) << i;
  }
  std::optional<absl::Duration> wait = limiter.Acquire("users/alice");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(100));  // One request at 10/s.
  now_ += absl::Milliseconds(50);
  wait = limiter.Acquire("users/alice");
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, absl::Milliseconds(50));
  now_ += absl::Milliseconds(50);
  EXPECT_EQ(limiter.Acquire("users/alice"), std::nullopt);
  // Idle for long: the bucket fills up to the burst, not beyond.
  now_ += absl::Hours(1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(limiter.Acquire("users/alice"), std::nullopt) << i;
  }
  EXPECT_TRUE(limiter.Acquire("users/alice").has_value());
}

TEST_F(RateLimiterTest, PrincipalsHaveTheirOwnBuckets) {
  RateLimiter limiter = Limiter(1, 1);
  EXPECT_EQ(limiter.Acquire("users/alice"), std::nullopt);
  EXPECT_TRUE(limiter.Acquire("users/alice").has_value());
  EXPECT_EQ(limiter.Acquire("users/bob"), std::nullopt);
}

TEST_F(RateLimiterTest, ZeroRateMeansNoLimit) {
  RateLimiter limiter = Limiter(0, 0);
  for (int i = 0; i < 10000; ++i) {
    ASSERT_EQ(limiter.Acquire("users/alice"), std::nullopt);
  }
}

TEST_F(RateLimiterTest, RetryDelayIsAtLeastOneMillisecond) {
  RateLimiter limiter = Limiter(1e6, 1);
  EXPECT_EQ(limiter.Acquire("users/alice"), std::nullopt);
  EXPECT_EQ(limiter.Acquire("users/alice"), absl::Milliseconds(1));
}

}  // namespace
}  // namespace auth
}  // namespace core
}  // namespace claimtrail
