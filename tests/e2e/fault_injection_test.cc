// Storage faults seen through the gRPC API: an in-process ClaimTrailServer
// whose LevelDB runs on a FaultInjectionEnv (ServerOptions.env), called
// through the generated stub.
//
// For each fault: the failing RPC gets the code storage maps the fault to
// (failed write or fsync: UNAVAILABLE; disk full: RESOURCE_EXHAUSTED),
// nothing is half-written (claim etag, revision, events and last_sequence as
// before, fsck clean), later writes are refused loudly with a recovery hint
// (FAILED_PRECONDITION "... restart the server to recover") because
// LevelDB's error is sticky, reads keep working, and a restart recovers.
// Read errors are transient: the read fails, writes are not refused, and
// reads work again once the fault clears.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/server.h"
#include "server/service/authorizer.h"
#include "server/storage/fault_injection_env.h"
#include "server/storage/inspect.h"
#include "tools/fsck/checker.h"

namespace claimtrail {
namespace {

using storage::FaultInjectionEnv;
using ::testing::HasSubstr;

// Everyone is "users/tester": these tests are about storage, not tokens.
class AllowAll : public service::Authorizer {
 public:
  absl::StatusOr<core::Principal> Authorize(const grpc::CallbackServerContext&,
                                            service::RpcMethod) override {
    return core::Principal{"users/tester"};
  }
};

// What must not change when a write fails.
struct Snapshot {
  uint64_t last_sequence = 0;
  int64_t claim_count = 0;
  int64_t source_count = 0;
  std::string etag;
  int64_t revision = 0;
  int events = 0;
  bool operator==(const Snapshot& o) const {
    return last_sequence == o.last_sequence && claim_count == o.claim_count &&
           source_count == o.source_count && etag == o.etag &&
           revision == o.revision && events == o.events;
  }
};

std::ostream& operator<<(std::ostream& os, const Snapshot& s) {
  return os << "{seq " << s.last_sequence << ", claims " << s.claim_count
            << ", sources " << s.source_count << ", etag " << s.etag
            << ", revision " << s.revision << ", events " << s.events << "}";
}

class FaultInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/", info->name(), "-data");
    Start();
    CreateSource("russia");
    claim_ = CreateClaim("troops");
  }

  void TearDown() override {
    env_.ClearAll();
    Stop();
  }

  void Start() {
    ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    options.data_dir = data_dir_;
    options.authorizer = std::make_shared<AllowAll>();
    options.env = &env_;
    auto server = ClaimTrailServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    stub_ = v1::ClaimTrail::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()),
        grpc::InsecureChannelCredentials()));
  }

  void Stop() {
    stub_.reset();
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
    server_.reset();
  }

  void Restart() {
    Stop();
    Start();
  }

  std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
    return context;
  }

  std::string NextRequestId() { return absl::StrCat("req-", ++requests_); }

  void CreateSource(const std::string& id) {
    v1::CreateSourceRequest req;
    req.set_source_id(id);
    req.set_request_id(NextRequestId());
    req.mutable_source()->set_display_name(id);
    req.mutable_source()->set_kind(v1::SOURCE_KIND_GOVERNMENT);
    v1::Source source;
    grpc::Status status = stub_->CreateSource(Context().get(), req, &source);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  v1::Claim CreateClaim(const std::string& id) {
    v1::CreateClaimRequest req;
    req.set_claim_id(id);
    req.set_request_id(NextRequestId());
    req.mutable_claim()->set_text("North Korea has sent troops to Russia.");
    v1::Claim claim;
    grpc::Status status = stub_->CreateClaim(Context().get(), req, &claim);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return claim;
  }

  // A stance on the claim: the write the tests make fail.
  grpc::Status RecordStance(v1::Claim* out = nullptr,
                            const std::string& request_id = "") {
    v1::RecordStanceRequest req;
    req.set_claim(claim_.name());
    req.set_request_id(request_id.empty() ? NextRequestId() : request_id);
    req.mutable_stance()->set_party("sources/russia");
    req.mutable_stance()->set_position(v1::STANCE_POSITION_DENIED);
    v1::Claim claim;
    grpc::Status status = stub_->RecordStance(Context().get(), req, &claim);
    if (out != nullptr) *out = claim;
    return status;
  }

  grpc::Status GetClaim(v1::Claim* claim) {
    v1::GetClaimRequest req;
    req.set_name(claim_.name());
    return stub_->GetClaim(Context().get(), req, claim);
  }

  Snapshot Take() {
    Snapshot s;
    v1::ServerInfo info;
    grpc::Status status =
        stub_->GetServerInfo(Context().get(), v1::GetServerInfoRequest(), &info);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.last_sequence = info.last_sequence();
    s.claim_count = info.claim_count();
    s.source_count = info.source_count();
    v1::Claim claim;
    status = GetClaim(&claim);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.etag = claim.etag();
    s.revision = claim.revision();
    v1::ListClaimEventsRequest list;
    list.set_parent(claim_.name());
    v1::ListClaimEventsResponse events;
    status = stub_->ListClaimEvents(Context().get(), list, &events);
    EXPECT_TRUE(status.ok()) << status.error_message();
    s.events = events.events_size();
    return s;
  }

  // Stops the server and runs the offline checker over the directory.
  void ExpectFsckClean() {
    Stop();
    auto raw = storage::RawLedger::Open(data_dir_);
    ASSERT_TRUE(raw.ok()) << raw.status();
    auto report = fsck::CheckLedger(**raw);
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_TRUE(report->clean()) << fsck::FormatReport(*report);
  }

  // The checks shared by every sticky write fault: the failed RPC's code,
  // nothing written, later writes refused with a recovery hint while reads
  // work, and recovery after a restart.
  void ExpectStickyWriteFault(FaultInjectionEnv::Fault fault,
                              grpc::StatusCode expected_code,
                              const std::string& expected_text) {
    const Snapshot before = Take();
    env_.Inject(fault);
    const grpc::Status failed = RecordStance(nullptr, "the-failed-request");
    EXPECT_EQ(failed.error_code(), expected_code) << failed.error_message();
    EXPECT_THAT(failed.error_message(), HasSubstr(expected_text));
    EXPECT_GT(env_.injected_failures(), 0);
    env_.Clear(fault);

    // Nothing of the failed request is visible; reads work.
    EXPECT_EQ(Take(), before);
    // LevelDB's error is sticky: writes are refused loudly, with the way out.
    const grpc::Status refused = RecordStance();
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << refused.error_message();
    EXPECT_THAT(refused.error_message(),
                HasSubstr("restart the server to recover"));
    EXPECT_EQ(Take(), before);

    // A restart recovers; the failed request, never acknowledged, may be
    // retried with its id and is applied exactly once.
    Restart();
    const Snapshot recovered = Take();
    EXPECT_TRUE(recovered == before ||
                recovered.last_sequence == before.last_sequence + 1)
        << recovered;
    v1::Claim after;
    const grpc::Status retried = RecordStance(&after, "the-failed-request");
    ASSERT_TRUE(retried.ok()) << retried.error_message();
    EXPECT_EQ(after.revision(), before.revision + 1);
    const grpc::Status next = RecordStance(&after);
    ASSERT_TRUE(next.ok()) << next.error_message();
    EXPECT_EQ(after.revision(), before.revision + 2);
    EXPECT_EQ(Take().last_sequence, before.last_sequence + 2);
    ExpectFsckClean();
  }

  FaultInjectionEnv env_;
  std::string data_dir_;
  std::unique_ptr<ClaimTrailServer> server_;
  std::unique_ptr<v1::ClaimTrail::Stub> stub_;
  v1::Claim claim_;
  int requests_ = 0;
};

TEST_F(FaultInjectionTest, FailedWriteIsUnavailableThenRefusedUntilRestart) {
  ExpectStickyWriteFault(FaultInjectionEnv::Fault::kWrite,
                         grpc::StatusCode::UNAVAILABLE,
                         "injected write error");
}

TEST_F(FaultInjectionTest, FailedFsyncIsUnavailableThenRefusedUntilRestart) {
  ExpectStickyWriteFault(FaultInjectionEnv::Fault::kSync,
                         grpc::StatusCode::UNAVAILABLE, "injected sync error");
}

TEST_F(FaultInjectionTest, DiskFullIsResourceExhaustedThenRefusedUntilRestart) {
  ExpectStickyWriteFault(FaultInjectionEnv::Fault::kDiskFull,
                         grpc::StatusCode::RESOURCE_EXHAUSTED,
                         "No space left on device");
}

// A failed fsync followed by a power cut: the unsynced batch is gone, every
// acknowledged write survives.
TEST_F(FaultInjectionTest, FailedFsyncThenPowerCutLosesOnlyTheFailedWrite) {
  v1::Claim acknowledged;
  ASSERT_TRUE(RecordStance(&acknowledged).ok());
  const Snapshot before = Take();
  env_.Inject(FaultInjectionEnv::Fault::kSync);
  EXPECT_EQ(RecordStance().error_code(), grpc::StatusCode::UNAVAILABLE);
  env_.ClearAll();
  Stop();
  ASSERT_TRUE(env_.DropUnsyncedData().ok());
  Start();
  EXPECT_EQ(Take(), before);
  ExpectFsckClean();
}

TEST_F(FaultInjectionTest, ReadErrorsAreTransient) {
  // After a restart the claim lives in a table file and the block cache is
  // cold, so reads go to the (failing) file system. Other claims, created
  // later, put the blocks that opening the database reads (the stats
  // record, the last event) far from this claim's.
  for (int i = 0; i < 40; ++i) {
    v1::CreateClaimRequest req;
    req.set_claim_id(absl::StrCat("filler-", i));
    req.set_request_id(NextRequestId());
    req.mutable_claim()->set_text(std::string(400, 'a' + i % 26));
    v1::Claim claim;
    ASSERT_TRUE(stub_->CreateClaim(Context().get(), req, &claim).ok());
  }
  Restart();
  const Snapshot before = Take();
  Restart();
  env_.Inject(FaultInjectionEnv::Fault::kRead);
  v1::Claim claim;
  const grpc::Status failed = GetClaim(&claim);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::UNAVAILABLE)
      << failed.error_message();
  EXPECT_THAT(failed.error_message(), HasSubstr("injected read error"));
  // A write needs reads too (the claim's state, the request id): it fails
  // the same transient way, and is not applied.
  const grpc::Status write = RecordStance();
  EXPECT_EQ(write.error_code(), grpc::StatusCode::UNAVAILABLE)
      << write.error_message();
  env_.Clear(FaultInjectionEnv::Fault::kRead);

  // No restart needed: reads and writes work again.
  EXPECT_EQ(Take(), before);
  v1::Claim after;
  const grpc::Status ok = RecordStance(&after);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(after.revision(), before.revision + 1);
  ExpectFsckClean();
}

}  // namespace
}  // namespace claimtrail
