// Test helpers for the Ledger: a fake clock, a synchronous wrapper around
// the asynchronous mutations, text-format request literals, and a harness
// that opens (and reopens) a Ledger over real LevelDB in $TEST_TMPDIR.
#ifndef CLAIMTRAIL_TESTS_SERVER_CORE_LEDGER_TEST_UTIL_H_
#define CLAIMTRAIL_TESTS_SERVER_CORE_LEDGER_TEST_UTIL_H_

#include <condition_variable>
#include <cstdlib>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/leveldb_storage.h"

namespace claimtrail {
namespace core {
namespace testing {

// Synchronization in these helpers uses the standard library, not
// absl::Mutex: the system Abseil is not built with ThreadSanitizer, so TSan
// (--config=tsan) could not see absl's ordering.

// A clock that moves only when told. Thread-safe.
class FakeClock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(absl::Duration by) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += by;
  }

 private:
  std::mutex mu_;
  absl::Time now_;
};

// Counts down from `count`; Wait() returns once it reached zero.
class Latch {
 public:
  explicit Latch(int count) : count_(count) {}
  void CountDown() {
    std::lock_guard<std::mutex> lock(mu_);
    if (--count_ == 0) zero_.notify_all();
  }
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    zero_.wait(lock, [this] { return count_ <= 0; });
  }
  // CountDown, then Wait: a barrier for `count` threads.
  void ArriveAndWait() {
    CountDown();
    Wait();
  }

 private:
  std::mutex mu_;
  std::condition_variable zero_;
  int count_;
};

// Calls an asynchronous Ledger mutation and waits for its `done`:
//   Call(ledger, &Ledger::CreateClaim, who, request)
template <typename Request, typename Response>
absl::StatusOr<Response> Call(Ledger& ledger,
                              void (Ledger::*method)(const Principal&,
                                                     const Request&,
                                                     Done<Response>),
                              const Principal& who, const Request& request) {
  std::promise<absl::StatusOr<Response>> promise;
  std::future<absl::StatusOr<Response>> result = promise.get_future();
  (ledger.*method)(who, request, [&](absl::StatusOr<Response> response) {
    promise.set_value(std::move(response));
  });
  return result.get();
}

// A message from text format; fails the test on a syntax error.
template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

inline absl::Time At(const std::string& rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error))
      << rfc3339 << ": " << error;
  return time;
}

inline google::protobuf::Timestamp Proto(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t seconds = absl::ToUnixSeconds(time);
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return out;
}

// A fresh directory under $TEST_TMPDIR for the current test.
inline std::string TestDir(const std::string& suffix = "db") {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", info->test_suite_name(),
                      ".", info->name(), "/", suffix);
}

// Opens a Ledger over LevelDB at `path` with a fake clock; Close() and
// Open() again to simulate a restart.
class LedgerHarness {
 public:
  explicit LedgerHarness(std::string path, leveldb::Env* env = nullptr,
                         absl::Time start = At("2025-03-21T09:00:00Z"))
      : path_(std::move(path)), env_(env), clock_(start) {}

  absl::Status Open(int max_group_size = 512) {
    storage::LevelDbOptions options;
    options.path = path_;
    options.env = env_;
    absl::StatusOr<std::unique_ptr<storage::Storage>> storage =
        storage::OpenLevelDbStorage(options);
    if (!storage.ok()) return storage.status();
    LedgerOptions ledger_options;
    ledger_options.storage = *std::move(storage);
    ledger_options.data_dir = path_;
    ledger_options.version = "test";
    ledger_options.clock = [this] { return clock_.Now(); };
    ledger_options.max_group_size = max_group_size;
    absl::StatusOr<std::unique_ptr<Ledger>> ledger =
        Ledger::Open(std::move(ledger_options));
    if (!ledger.ok()) return ledger.status();
    ledger_ = *std::move(ledger);
    return absl::OkStatus();
  }
  void Close() { ledger_.reset(); }

  Ledger& ledger() { return *ledger_; }
  FakeClock& clock() { return clock_; }

 private:
  const std::string path_;
  leveldb::Env* const env_;
  FakeClock clock_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace testing
}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_SERVER_CORE_LEDGER_TEST_UTIL_H_
