#include "tools/bench/floor/durable_floor.h"

#include <grpcpp/grpcpp.h>

#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leveldb/db.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"

namespace claimtrail {
namespace bench {
namespace {

using ::testing::SizeIs;

class DurableFloorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(
        std::getenv("TEST_TMPDIR"), "/floor-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }

  void Serve(DurableFloorOptions options) {
    absl::StatusOr<std::unique_ptr<DurableFloor>> floor =
        DurableFloor::Open(std::move(options));
    ASSERT_TRUE(floor.ok()) << floor.status();
    floor_ = *std::move(floor);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(floor_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::ClaimTrail::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void Stop() {
    server_->Shutdown();
    server_.reset();
    floor_.reset();
  }

  static v1::RecordStanceRequest Append(int i) {
    v1::RecordStanceRequest request;
    request.set_claim(absl::StrCat("claims/c", i % 3));
    request.set_request_id(absl::StrCat("request-", i));
    request.mutable_stance()->set_party("sources/writer");
    request.mutable_stance()->set_statement(std::string(1024, 'a' + i % 26));
    return request;
  }

  // Every key in the floor's database, after Stop().
  std::set<std::string> StoredKeys() {
    leveldb::DB* raw = nullptr;
    leveldb::Options options;
    const leveldb::Status s = leveldb::DB::Open(options, dir_, &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    std::set<std::string> keys;
    if (!s.ok()) return keys;
    std::unique_ptr<leveldb::DB> db(raw);
    std::unique_ptr<leveldb::Iterator> it(
        db->NewIterator(leveldb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      keys.insert(it->key().ToString());
    }
    return keys;
  }

  std::string dir_;
  std::unique_ptr<DurableFloor> floor_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::ClaimTrail::Stub> stub_;
};

TEST_F(DurableFloorTest, EveryAcknowledgedAppendIsOnDiskAfterward) {
  DurableFloorOptions options;
  options.dir = dir_;
  Serve(options);
  // From several threads at once, so that calls queue behind a write in
  // progress and are written by another call's thread.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kPerThread; ++k) {
        const v1::RecordStanceRequest request = Append(t * kPerThread + k);
        grpc::ClientContext context;
        v1::Claim claim;
        const grpc::Status status =
            stub_->RecordStance(&context, request, &claim);
        if (!status.ok() || claim.name() != request.claim() ||
            claim.stances_size() != 1 ||
            claim.stances(0).statement() != request.stance().statement()) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ::testing::Each(0));
  Stop();

  const std::set<std::string> keys = StoredKeys();
  int events = 0;
  for (const std::string& key : keys) {
    if (absl::StartsWith(key, "e/")) ++events;
  }
  EXPECT_EQ(events, kThreads * kPerThread);
  for (int i = 0; i < kThreads * kPerThread; ++i) {
    EXPECT_TRUE(keys.count(absl::StrCat("r/request-", i))) << i;
  }
  EXPECT_TRUE(keys.count("c/claims/c0"));
  EXPECT_TRUE(keys.count("m/stats"));
}

TEST_F(DurableFloorTest, WritesTheRecordSizesItIsGiven) {
  DurableFloorOptions options;
  options.dir = dir_;
  options.event_bytes = 5000;
  options.claim_bytes = 300;  // Shorter than the statement: cut.
  Serve(options);
  grpc::ClientContext context;
  v1::Claim claim;
  ASSERT_TRUE(stub_->RecordStance(&context, Append(7), &claim).ok());
  Stop();

  leveldb::DB* raw = nullptr;
  ASSERT_TRUE(leveldb::DB::Open(leveldb::Options(), dir_, &raw).ok());
  std::unique_ptr<leveldb::DB> db(raw);
  std::string claim_record;
  ASSERT_TRUE(
      db->Get(leveldb::ReadOptions(), "c/claims/c1", &claim_record).ok());
  EXPECT_THAT(claim_record, SizeIs(300));
  std::unique_ptr<leveldb::Iterator> it(
      db->NewIterator(leveldb::ReadOptions()));
  it->Seek("e/");
  ASSERT_TRUE(it->Valid() && it->key().starts_with("e/"));
  EXPECT_THAT(it->value().ToString(), SizeIs(5000));
  // The statement twice, as claimtrail's event holds it.
  EXPECT_EQ(it->value().ToString().substr(0, 2048), std::string(2048, 'a' + 7));
}

TEST_F(DurableFloorTest, OpenWithoutADirectoryIsInvalid) {
  EXPECT_EQ(DurableFloor::Open(DurableFloorOptions()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(DurableFloorTest, OtherMethodsAreUnimplemented) {
  DurableFloorOptions options;
  options.dir = dir_;
  Serve(options);
  grpc::ClientContext context;
  v1::Claim claim;
  v1::GetClaimRequest request;
  request.set_name("claims/c0");
  EXPECT_EQ(stub_->GetClaim(&context, request, &claim).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
  Stop();
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail
