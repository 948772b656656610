// Crash consistency and I/O-failure behaviour of LevelDbStorage, using
// FaultInjectionEnv over the real file system.
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/storage/fault_injection_env.h"
#include "server/storage/leveldb_storage.h"
#include "server/storage/storage.h"
#include "tests/server/storage/test_records.h"

namespace claimtrail {
namespace storage {
namespace {

using ::claimtrail::storage::testing::CreateClaimWrite;
using ::claimtrail::storage::testing::TestDbPath;
using ::testing::HasSubstr;
using Fault = FaultInjectionEnv::Fault;
using Scope = FaultInjectionEnv::Scope;

class FaultInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = TestDbPath();
    options_.env = &env_;
    Open();
  }

  void Open() {
    storage_.reset();
    auto opened = OpenLevelDbStorage(options_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    storage_ = std::move(opened).value();
  }

  // Power cut: the process dies (storage closed without further writes)
  // and everything not fsynced is lost; then the server restarts.
  void PowerCutAndRestart() {
    storage_.reset();
    ASSERT_TRUE(env_.DropUnsyncedData().ok());
    env_.ClearAll();
    Open();
  }

  // Commits claims c1..cN (sequences from LastSequence()+1).
  void CommitClaims(int first, int last) {
    for (int i = first; i <= last; ++i) {
      ASSERT_TRUE(storage_
                      ->Commit(CreateClaimWrite(absl::StrCat("c", i),
                                                absl::StrCat("claim ", i), i))
                      .ok())
          << i;
    }
  }

  void ExpectClaims(int last) {
    EXPECT_EQ(storage_->LastSequence(), static_cast<uint64_t>(last));
    EXPECT_EQ(storage_->Stats().claim_count, last);
    for (int i = 1; i <= last; ++i) {
      EXPECT_TRUE(storage_->ReadClaim(absl::StrCat("c", i)).ok()) << i;
    }
    EXPECT_EQ(storage_->ReadClaim(absl::StrCat("c", last + 1)).status().code(),
              absl::StatusCode::kNotFound);
  }

  FaultInjectionEnv env_;
  LevelDbOptions options_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(FaultInjectionTest, AcknowledgedCommitsSurvivePowerCut) {
  CommitClaims(1, 50);
  PowerCutAndRestart();
  ExpectClaims(50);
  // Again, with the first batch now in a table file and new ones in the log.
  CommitClaims(51, 80);
  PowerCutAndRestart();
  ExpectClaims(80);
}

// Proves the harness has teeth: without fsync the same power cut loses the
// commits, so the test above would catch a Commit that forgot to sync.
TEST_F(FaultInjectionTest, UnsyncedCommitsAreLostOnPowerCut) {
  options_.sync = false;
  Open();
  CommitClaims(1, 10);
  PowerCutAndRestart();
  EXPECT_EQ(storage_->LastSequence(), 0u);
  EXPECT_EQ(storage_->ReadClaim("c1").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(FaultInjectionTest, FailedSyncIsNotAcknowledgedAndStopsWrites) {
  CommitClaims(1, 3);
  env_.Inject(Fault::kSync);
  const absl::Status failed = storage_->Commit(CreateClaimWrite("c4", "x", 4));
  EXPECT_EQ(failed.code(), absl::StatusCode::kUnavailable) << failed;
  EXPECT_THAT(std::string(failed.message()), HasSubstr("injected sync error"));
  EXPECT_GT(env_.injected_failures(), 0);
  env_.Clear(Fault::kSync);

  // Not visible, and the storage is read-only now, with a recovery hint.
  EXPECT_EQ(storage_->ReadClaim("c4").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(storage_->LastSequence(), 3u);
  const absl::Status refused = storage_->Commit(CreateClaimWrite("c4", "x", 4));
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_THAT(std::string(refused.message()), HasSubstr("read-only"));
  EXPECT_THAT(std::string(refused.message()), HasSubstr("restart"));
  EXPECT_TRUE(storage_->ReadClaim("c3").ok());  // Reads still work.

  PowerCutAndRestart();
  ExpectClaims(3);
  CommitClaims(4, 5);  // Writable again after the restart.
  ExpectClaims(5);
}

TEST_F(FaultInjectionTest, DiskFullIsResourceExhausted) {
  CommitClaims(1, 2);
  env_.Inject(Fault::kDiskFull);
  const absl::Status full = storage_->Commit(CreateClaimWrite("c3", "x", 3));
  EXPECT_EQ(full.code(), absl::StatusCode::kResourceExhausted) << full;
  env_.Clear(Fault::kDiskFull);
  EXPECT_EQ(storage_->Commit(CreateClaimWrite("c3", "x", 3)).code(),
            absl::StatusCode::kFailedPrecondition);

  PowerCutAndRestart();
  ExpectClaims(2);
}

TEST_F(FaultInjectionTest, WriteErrorIsUnavailable) {
  CommitClaims(1, 2);
  env_.Inject(Fault::kWrite);
  EXPECT_EQ(storage_->Commit(CreateClaimWrite("c3", "x", 3)).code(),
            absl::StatusCode::kUnavailable);
  env_.ClearAll();
  PowerCutAndRestart();
  ExpectClaims(2);
}

TEST_F(FaultInjectionTest, NewFilesScopeSparesOpenFiles) {
  // The write-ahead log was opened before the fault, so commits still work;
  // the next file LevelDB creates (the table of a reopen) would fail.
  env_.Inject(Fault::kWrite, Scope::kNewFiles);
  CommitClaims(1, 3);
  EXPECT_EQ(env_.injected_failures(), 0);
  storage_.reset();
  auto reopened = OpenLevelDbStorage(options_);
  EXPECT_FALSE(reopened.ok());
  EXPECT_GT(env_.injected_failures(), 0);
  env_.ClearAll();
  Open();
  ExpectClaims(3);
}

TEST_F(FaultInjectionTest, ReadErrorIsUnavailableAndTransient) {
  CommitClaims(1, 3);
  // Reopen so the records move from the log into a table file, and turn
  // the block cache off so reads reach the file.
  options_.block_cache_bytes = 0;
  Open();
  env_.Inject(Fault::kRead);
  const auto failed = storage_->ReadClaim("c2");
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable)
      << failed.status();
  EXPECT_EQ(storage_->ScanClaims(std::nullopt, "", "", 10).status().code(),
            absl::StatusCode::kUnavailable);
  env_.Clear(Fault::kRead);
  EXPECT_TRUE(storage_->ReadClaim("c2").ok());
  // A failed read does not make the storage read-only.
  CommitClaims(4, 4);
  ExpectClaims(4);
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
