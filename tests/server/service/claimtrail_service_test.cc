// The ClaimTrail service in-process: a real ClaimTrailServer (LevelDB in
// $TEST_TMPDIR, TCP on 127.0.0.1:0) called through the generated stub, with
// the bootstrap admin token the server writes into its data directory.
#include "server/service/claimtrail_service.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/service.grpc.pb.h"
#include "server/server.h"
#include "server/service/authorizer.h"
#include "tests/server/service/auth_test_util.h"

namespace claimtrail {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string TempDir(absl::string_view name) {
  const char* base = std::getenv("TEST_TMPDIR");
  return absl::StrCat(base != nullptr ? base : "/tmp", "/", name, "-",
                      getpid());
}

std::string TestDataDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return TempDir(absl::StrCat(info->test_suite_name(), ".", info->name()));
}

// A stub whose calls carry the admin token of the server on `data_dir`.
std::unique_ptr<v1::ClaimTrail::Stub> Connect(const std::string& target,
                                              const std::string& data_dir) {
  return v1::ClaimTrail::NewStub(testing::ChannelWithToken(
      target, testing::ReadAdminToken(data_dir)));
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(
    absl::Duration timeout = absl::Seconds(20)) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return ctx;
}

// The BRIEF §2 example, as requests.
v1::CreateSourceRequest SourceRequest(absl::string_view id,
                                      absl::string_view display_name,
                                      v1::SourceKind kind) {
  v1::CreateSourceRequest req;
  req.set_source_id(std::string(id));
  req.set_request_id(absl::StrCat("create-source-", id));
  req.mutable_source()->set_display_name(std::string(display_name));
  req.mutable_source()->set_kind(kind);
  return req;
}

v1::CreateClaimRequest TroopsClaimRequest(absl::string_view claim_id) {
  v1::CreateClaimRequest req;
  req.set_claim_id(std::string(claim_id));
  req.set_request_id(absl::StrCat("create-claim-", claim_id));
  v1::Claim* claim = req.mutable_claim();
  claim->set_text(
      "North Korea has sent troops to Russia to support its war against "
      "Ukraine.");
  claim->set_language("en");
  claim->add_topics("north-korea");
  v1::Figure* figure = claim->add_figures();
  figure->set_figure_id("troops");
  figure->set_label("North Korean soldiers sent to Russia");
  figure->set_lower_bound(10000);
  figure->set_unit("soldiers");
  figure->set_qualifier(v1::FIGURE_QUALIFIER_OVER);
  v1::Attribution* attribution = claim->add_attributions();
  v1::AttributionHop* primary = attribution->add_hops();
  primary->set_source("sources/nis");
  primary->set_verb(v1::ATTRIBUTION_VERB_CONFIRMED);
  v1::AttributionHop* relay = attribution->add_hops();
  relay->set_source("sources/straitstimes");
  relay->set_verb(v1::ATTRIBUTION_VERB_REPORTED);
  for (const char* party : {"sources/north-korea", "sources/russia"}) {
    v1::Stance* stance = claim->add_stances();
    stance->set_party(party);
    stance->set_position(v1::STANCE_POSITION_NOT_CONFIRMED);
  }
  v1::Appearance* appearance = claim->add_appearances();
  appearance->set_url(
      "https://www.straitstimes.com/asia/east-asia/nk-weapons-test");
  appearance->set_outlet("straitstimes.com");
  // 2025-03-21T00:00:00Z.
  *appearance->mutable_publish_time() =
      TimeUtil::SecondsToTimestamp(1742515200);
  return req;
}

// Records every method it is asked about; denies mutations when told to.
class RecordingAuthorizer : public service::Authorizer {
 public:
  absl::StatusOr<core::Principal> Authorize(
      const grpc::CallbackServerContext& ctx,
      service::RpcMethod method) override {
    absl::MutexLock lock(&mu_);
    methods_.push_back(method);
    if (deny_mutations_ && service::IsMutation(method)) {
      return absl::PermissionDeniedError(absl::StrCat(
          "users/tester may not call ", service::RpcMethodName(method)));
    }
    return core::Principal{"users/tester"};
  }
  void set_deny_mutations(bool deny) {
    absl::MutexLock lock(&mu_);
    deny_mutations_ = deny;
  }
  std::vector<service::RpcMethod> methods() {
    absl::MutexLock lock(&mu_);
    return methods_;
  }

 private:
  absl::Mutex mu_;
  std::vector<service::RpcMethod> methods_;
  bool deny_mutations_ = false;
};

class ClaimTrailServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(ServerOptions()); }

  void TearDown() override {
    stub_.reset();
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
  }

  void StartServer(ServerOptions options) {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(5));
    server_.reset();
    options.listen_address = "127.0.0.1:0";
    options.data_dir = TestDataDir();
    absl::StatusOr<std::unique_ptr<ClaimTrailServer>> started =
        ClaimTrailServer::Start(options);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = *std::move(started);
    ASSERT_GT(server_->port(), 0);
    stub_ = Connect(absl::StrCat("127.0.0.1:", server_->port()),
                    server_->data_dir());
  }

  uint64_t LastSequence() {
    v1::ServerInfo info;
    grpc::Status status = stub_->GetServerInfo(
        ContextWithDeadline().get(), v1::GetServerInfoRequest(), &info);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return info.last_sequence();
  }

  void CreateExampleSources() {
    const struct {
      const char* id;
      const char* name;
      v1::SourceKind kind;
    } sources[] = {
        {"nis", "National Intelligence Service", v1::SOURCE_KIND_AGENCY},
        {"straitstimes", "The Straits Times", v1::SOURCE_KIND_NEWS_OUTLET},
        {"north-korea", "North Korea", v1::SOURCE_KIND_GOVERNMENT},
        {"russia", "Russia", v1::SOURCE_KIND_GOVERNMENT},
    };
    for (const auto& s : sources) {
      v1::Source created;
      grpc::Status status =
          stub_->CreateSource(ContextWithDeadline().get(),
                              SourceRequest(s.id, s.name, s.kind), &created);
      ASSERT_TRUE(status.ok()) << s.id << ": " << status.error_message();
      EXPECT_EQ(created.name(), absl::StrCat("sources/", s.id));
    }
  }

  v1::Claim CreateClaim(absl::string_view claim_id) {
    v1::Claim claim;
    grpc::Status status = stub_->CreateClaim(
        ContextWithDeadline().get(), TroopsClaimRequest(claim_id), &claim);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return claim;
  }

  std::unique_ptr<ClaimTrailServer> server_;
  std::unique_ptr<v1::ClaimTrail::Stub> stub_;
};

TEST_F(ClaimTrailServiceTest, CreatesAndReadsTheBriefExample) {
  CreateExampleSources();
  const v1::Claim created = CreateClaim("nk-troops");
  EXPECT_EQ(created.name(), "claims/nk-troops");
  // The bootstrap admin token's principal: the author is the caller's.
  EXPECT_EQ(created.creator(), "users/admin");
  EXPECT_FALSE(created.etag().empty());

  v1::GetClaimRequest get;
  get.set_name("claims/nk-troops");
  v1::Claim read;
  grpc::Status status =
      stub_->GetClaim(ContextWithDeadline().get(), get, &read);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(read.state(), v1::CLAIM_STATE_UNCONFIRMED);
  EXPECT_EQ(read.text(), created.text());
  ASSERT_EQ(read.figures_size(), 1);
  EXPECT_EQ(read.figures(0).lower_bound(), 10000);
  EXPECT_EQ(read.stances_size(), 2);

  v1::ServerInfo info;
  status = stub_->GetServerInfo(ContextWithDeadline().get(),
                                v1::GetServerInfoRequest(), &info);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(info.version(), "0.1.0");
  EXPECT_EQ(info.claim_count(), 1);
  EXPECT_EQ(info.source_count(), 4);
  EXPECT_EQ(info.last_sequence(), 1u);
  EXPECT_EQ(info.data_dir(), server_->data_dir());
}

TEST_F(ClaimTrailServiceTest, InvalidArgumentNamesTheField) {
  v1::CreateClaimRequest req = TroopsClaimRequest("empty-text");
  req.mutable_claim()->clear_text();
  v1::Claim claim;
  grpc::Status status =
      stub_->CreateClaim(ContextWithDeadline().get(), req, &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("claim.text"));

  v1::CreateClaimRequest bounds = TroopsClaimRequest("bounds");
  v1::Figure* figure = bounds.mutable_claim()->mutable_figures(0);
  figure->set_qualifier(v1::FIGURE_QUALIFIER_BETWEEN);
  figure->set_lower_bound(5);
  figure->set_upper_bound(3);
  status = stub_->CreateClaim(ContextWithDeadline().get(), bounds, &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("claim.figures[0]"));
  EXPECT_EQ(LastSequence(), 0u);
}

TEST_F(ClaimTrailServiceTest, NotFoundForUnknownClaimAndSource) {
  v1::GetClaimRequest get;
  get.set_name("claims/no-such-claim");
  v1::Claim claim;
  grpc::Status status =
      stub_->GetClaim(ContextWithDeadline().get(), get, &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("no-such-claim"));

  // The example claim names sources that do not exist yet.
  status = stub_->CreateClaim(ContextWithDeadline().get(),
                              TroopsClaimRequest("orphan"), &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("sources/"));
  EXPECT_EQ(LastSequence(), 0u);
}

TEST_F(ClaimTrailServiceTest, StaleEtagIsAbortedAndWritesNothing) {
  CreateExampleSources();
  const v1::Claim created = CreateClaim("etag-claim");

  v1::UpdateClaimRequest update;
  update.mutable_claim()->set_name("claims/etag-claim");
  update.mutable_claim()->set_text("North Korea sent troops to Russia.");
  update.mutable_update_mask()->add_paths("text");
  update.set_etag(created.etag());
  update.set_request_id("update-1");
  v1::Claim updated;
  grpc::Status status =
      stub_->UpdateClaim(ContextWithDeadline().get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(updated.etag(), created.etag());
  const uint64_t sequence = LastSequence();

  update.set_request_id("update-2");
  update.mutable_claim()->set_text("Stale write.");
  status = stub_->UpdateClaim(ContextWithDeadline().get(), update, &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(LastSequence(), sequence);
}

TEST_F(ClaimTrailServiceTest, RetryWithSameRequestIdReturnsTheFirstResult) {
  CreateExampleSources();
  const v1::Claim first = CreateClaim("retried");
  const uint64_t sequence = LastSequence();
  const v1::Claim second = CreateClaim("retried");  // Same request_id.
  EXPECT_EQ(second.name(), first.name());
  EXPECT_EQ(second.etag(), first.etag());
  EXPECT_EQ(LastSequence(), sequence);
}

TEST_F(ClaimTrailServiceTest, OversizeMessageIsResourceExhausted) {
  v1::CreateClaimRequest req = TroopsClaimRequest("huge");
  req.mutable_claim()->set_text(std::string(5 << 20, 'x'));
  v1::Claim claim;
  grpc::Status status =
      stub_->CreateClaim(ContextWithDeadline().get(), req, &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(LastSequence(), 0u);
}

TEST_F(ClaimTrailServiceTest, ExpiredDeadlineWritesNothing) {
  CreateExampleSources();
  const uint64_t sequence = LastSequence();
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::Claim claim;
  grpc::Status status =
      stub_->CreateClaim(&ctx, TroopsClaimRequest("too-late"), &claim);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(LastSequence(), sequence);
}

// Calls grpc.health.v1.Health/Check without generated stubs: the request is
// field 1 (service, a string), the response field 1 (status, an enum).
int HealthStatus(const std::string& target, const std::string& service) {
  grpc::GenericStub stub(
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  std::string request_bytes;
  if (!service.empty()) {
    request_bytes = absl::StrCat(
        "\x0a", std::string(1, static_cast<char>(service.size())), service);
  }
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  auto ctx = ContextWithDeadline();
  absl::Notification done;
  grpc::Status status;
  stub.UnaryCall(ctx.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return -static_cast<int>(status.error_code());
  std::vector<grpc::Slice> slices;
  if (!response.Dump(&slices).ok()) return -100;
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (bytes.empty()) return 0;  // UNKNOWN (the default) is not sent.
  if (bytes.size() != 2 || bytes[0] != '\x08') return -101;
  return bytes[1];
}

TEST_F(ClaimTrailServiceTest, HealthIsServing) {
  const std::string target = absl::StrCat("127.0.0.1:", server_->port());
  constexpr int kServing = 1;
  EXPECT_EQ(HealthStatus(target, ""), kServing);
  EXPECT_EQ(HealthStatus(target, "claimtrail.v1.ClaimTrail"), kServing);
  // An unknown service is NOT_FOUND.
  EXPECT_EQ(HealthStatus(target, "no.such.Service"),
            -static_cast<int>(grpc::StatusCode::NOT_FOUND));
}

TEST_F(ClaimTrailServiceTest, EveryHandlerAsksTheAuthorizer) {
  auto authorizer = std::make_shared<RecordingAuthorizer>();
  ServerOptions options;
  options.authorizer = authorizer;
  StartServer(options);

  CreateExampleSources();
  const v1::Claim claim = CreateClaim("authorized");
  EXPECT_EQ(claim.creator(), "users/tester");

  authorizer->set_deny_mutations(true);
  v1::Claim denied;
  grpc::Status status = stub_->CreateClaim(
      ContextWithDeadline().get(), TroopsClaimRequest("denied"), &denied);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("CreateClaim"));
  v1::GetClaimRequest get;
  get.set_name("claims/denied");
  status = stub_->GetClaim(ContextWithDeadline().get(), get, &denied);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  const std::vector<service::RpcMethod> methods = authorizer->methods();
  using service::RpcMethod;
  EXPECT_EQ(
      std::count(methods.begin(), methods.end(), RpcMethod::kCreateSource), 4);
  EXPECT_EQ(std::count(methods.begin(), methods.end(), RpcMethod::kCreateClaim),
            2);
  EXPECT_EQ(std::count(methods.begin(), methods.end(), RpcMethod::kGetClaim),
            1);
}

// Refuses everything: every handler must ask before touching the Ledger.
class DenyAllAuthorizer : public service::Authorizer {
 public:
  absl::StatusOr<core::Principal> Authorize(
      const grpc::CallbackServerContext& ctx,
      service::RpcMethod method) override {
    return absl::PermissionDeniedError(
        absl::StrCat("denied: ", service::RpcMethodName(method)));
  }
};

TEST_F(ClaimTrailServiceTest, EveryRpcIsRefusedByADenyingAuthorizer) {
  ServerOptions options;
  options.authorizer = std::make_shared<DenyAllAuthorizer>();
  StartServer(options);
  v1::ClaimTrail::Stub* stub = stub_.get();
  // One call per RPC, each expected to be refused with its own name.
  const std::vector<std::pair<std::string, std::function<grpc::Status()>>>
      calls = {
          {"GetServerInfo",
           [&] {
             v1::ServerInfo r;
             return stub->GetServerInfo(ContextWithDeadline().get(), {}, &r);
           }},
          {"CreateSource",
           [&] {
             v1::Source r;
             return stub->CreateSource(
                 ContextWithDeadline().get(),
                 SourceRequest("nis", "NIS", v1::SOURCE_KIND_AGENCY), &r);
           }},
          {"GetSource",
           [&] {
             v1::Source r;
             return stub->GetSource(ContextWithDeadline().get(), {}, &r);
           }},
          {"ListSources",
           [&] {
             v1::ListSourcesResponse r;
             return stub->ListSources(ContextWithDeadline().get(), {}, &r);
           }},
          {"UpdateSource",
           [&] {
             v1::Source r;
             return stub->UpdateSource(ContextWithDeadline().get(), {}, &r);
           }},
          {"CreateClaim",
           [&] {
             v1::Claim r;
             return stub->CreateClaim(ContextWithDeadline().get(),
                                      TroopsClaimRequest("x"), &r);
           }},
          {"GetClaim",
           [&] {
             v1::Claim r;
             return stub->GetClaim(ContextWithDeadline().get(), {}, &r);
           }},
          {"ListClaims",
           [&] {
             v1::ListClaimsResponse r;
             return stub->ListClaims(ContextWithDeadline().get(), {}, &r);
           }},
          {"UpdateClaim",
           [&] {
             v1::Claim r;
             return stub->UpdateClaim(ContextWithDeadline().get(), {}, &r);
           }},
          {"AddAttribution",
           [&] {
             v1::Claim r;
             return stub->AddAttribution(ContextWithDeadline().get(), {}, &r);
           }},
          {"ReviseFigure",
           [&] {
             v1::Claim r;
             return stub->ReviseFigure(ContextWithDeadline().get(), {}, &r);
           }},
          {"RecordStance",
           [&] {
             v1::Claim r;
             return stub->RecordStance(ContextWithDeadline().get(), {}, &r);
           }},
          {"RecordVerdict",
           [&] {
             v1::Claim r;
             return stub->RecordVerdict(ContextWithDeadline().get(), {}, &r);
           }},
          {"AddAppearance",
           [&] {
             v1::Claim r;
             return stub->AddAppearance(ContextWithDeadline().get(), {}, &r);
           }},
          {"LinkClaims",
           [&] {
             v1::Claim r;
             return stub->LinkClaims(ContextWithDeadline().get(), {}, &r);
           }},
          {"MergeClaims",
           [&] {
             v1::Claim r;
             return stub->MergeClaims(ContextWithDeadline().get(), {}, &r);
           }},
          {"RetractClaim",
           [&] {
             v1::Claim r;
             return stub->RetractClaim(ContextWithDeadline().get(), {}, &r);
           }},
          {"RedactEvent",
           [&] {
             v1::Event r;
             return stub->RedactEvent(ContextWithDeadline().get(), {}, &r);
           }},
          {"ListClaimEvents",
           [&] {
             v1::ListClaimEventsResponse r;
             return stub->ListClaimEvents(ContextWithDeadline().get(), {}, &r);
           }},
          {"DiffClaim",
           [&] {
             v1::DiffClaimResponse r;
             return stub->DiffClaim(ContextWithDeadline().get(), {}, &r);
           }},
          {"SearchClaims",
           [&] {
             v1::SearchClaimsResponse r;
             return stub->SearchClaims(ContextWithDeadline().get(), {}, &r);
           }},
          {"WatchClaims",
           [&] {
             auto ctx = ContextWithDeadline();
             auto reader = stub->WatchClaims(ctx.get(), {});
             v1::WatchClaimsResponse r;
             while (reader->Read(&r)) {
             }
             return reader->Finish();
           }},
      };
  // Every method of the service is covered.
  ASSERT_EQ(static_cast<int>(calls.size()),
            google::protobuf::DescriptorPool::generated_pool()
                ->FindServiceByName(v1::ClaimTrail::service_full_name())
                ->method_count());
  for (const auto& [name, call] : calls) {
    const grpc::Status status = call();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << name;
    EXPECT_EQ(status.error_message(), absl::StrCat("denied: ", name));
  }
}

// ---- WatchClaims.

using WatchReader = grpc::ClientReader<v1::WatchClaimsResponse>;

struct Watch {
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<WatchReader> reader;
};

// Opens a watch and waits until the server has set it up (the service sends
// initial metadata as soon as the stream's starting point is fixed).
Watch OpenWatch(v1::ClaimTrail::Stub* stub, const v1::WatchClaimsRequest& req) {
  Watch watch;
  watch.ctx = ContextWithDeadline(absl::Seconds(60));
  watch.reader = stub->WatchClaims(watch.ctx.get(), req);
  watch.reader->WaitForInitialMetadata();
  return watch;
}

TEST_F(ClaimTrailServiceTest, WatchStreamsEventsCommittedAfterItStarts) {
  CreateExampleSources();
  CreateClaim("before-watch");

  v1::WatchClaimsRequest req;
  req.set_from_now(true);
  Watch watch = OpenWatch(stub_.get(), req);

  CreateClaim("after-watch-1");
  CreateClaim("after-watch-2");
  v1::WatchClaimsResponse response;
  ASSERT_TRUE(watch.reader->Read(&response));
  EXPECT_EQ(response.event().kind(), v1::EVENT_KIND_CLAIM_CREATED);
  EXPECT_EQ(response.event().name(), "claims/after-watch-1/events/1");
  EXPECT_EQ(response.event().sequence(), 2u);
  EXPECT_EQ(response.state(), v1::CLAIM_STATE_UNCONFIRMED);
  ASSERT_TRUE(watch.reader->Read(&response));
  EXPECT_EQ(response.event().name(), "claims/after-watch-2/events/1");
  EXPECT_EQ(response.event().sequence(), 3u);

  watch.ctx->TryCancel();
  while (watch.reader->Read(&response)) {
  }
  EXPECT_EQ(watch.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(ClaimTrailServiceTest, WatchReplaysFromAfterSequenceThenFollows) {
  CreateExampleSources();
  for (int i = 1; i <= 3; ++i) CreateClaim(absl::StrCat("replay-", i));

  v1::WatchClaimsRequest req;
  req.set_after_sequence(1);
  Watch watch = OpenWatch(stub_.get(), req);
  v1::WatchClaimsResponse response;
  for (uint64_t sequence : {2u, 3u}) {
    ASSERT_TRUE(watch.reader->Read(&response));
    EXPECT_EQ(response.event().sequence(), sequence);
  }
  CreateClaim("replay-4");
  ASSERT_TRUE(watch.reader->Read(&response));
  EXPECT_EQ(response.event().sequence(), 4u);
  EXPECT_EQ(response.event().name(), "claims/replay-4/events/1");
  watch.ctx->TryCancel();
  while (watch.reader->Read(&response)) {
  }
  watch.reader->Finish();
}

TEST_F(ClaimTrailServiceTest, WatchReplayLongerThanOneBatch) {
  CreateExampleSources();
  constexpr int kClaims = 40;  // More than WatchReactor::kBatchSize.
  for (int i = 0; i < kClaims; ++i) CreateClaim(absl::StrCat("many-", i));
  Watch watch = OpenWatch(stub_.get(), v1::WatchClaimsRequest());
  v1::WatchClaimsResponse response;
  for (int i = 0; i < kClaims; ++i) {
    ASSERT_TRUE(watch.reader->Read(&response)) << i;
    EXPECT_EQ(response.event().sequence(), static_cast<uint64_t>(i + 1));
  }
  watch.ctx->TryCancel();
  while (watch.reader->Read(&response)) {
  }
  watch.reader->Finish();
}

TEST_F(ClaimTrailServiceTest, WatchSeesEveryConcurrentWriteOnceInOrder) {
  CreateExampleSources();
  Watch watch = OpenWatch(stub_.get(), v1::WatchClaimsRequest());
  constexpr int kWriters = 4;
  constexpr int kClaimsPerWriter = 25;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = Connect(absl::StrCat("127.0.0.1:", server_->port()),
                          server_->data_dir());
      for (int i = 0; i < kClaimsPerWriter; ++i) {
        v1::Claim claim;
        const grpc::Status status = stub->CreateClaim(
            ContextWithDeadline().get(),
            TroopsClaimRequest(absl::StrCat("w", w, "-", i)), &claim);
        EXPECT_TRUE(status.ok()) << status.error_message();
      }
    });
  }
  // Read while the writes happen: live delivery, not only replay.
  v1::WatchClaimsResponse response;
  for (uint64_t expected = 1; expected <= kWriters * kClaimsPerWriter;
       ++expected) {
    ASSERT_TRUE(watch.reader->Read(&response)) << expected;
    ASSERT_EQ(response.event().sequence(), expected);
  }
  for (std::thread& t : writers) t.join();
  watch.ctx->TryCancel();
  while (watch.reader->Read(&response)) {
  }
  watch.reader->Finish();
}

TEST_F(ClaimTrailServiceTest, WatchFilterByClaim) {
  CreateExampleSources();
  CreateClaim("watched");
  CreateClaim("ignored");
  v1::WatchClaimsRequest req;
  req.set_claim("claims/watched");
  Watch watch = OpenWatch(stub_.get(), req);
  v1::WatchClaimsResponse response;
  ASSERT_TRUE(watch.reader->Read(&response));
  EXPECT_EQ(response.event().name(), "claims/watched/events/1");

  v1::RetractClaimRequest retract;
  retract.set_claim("claims/watched");
  retract.set_reason("wrong");
  retract.set_request_id("retract-watched");
  v1::Claim claim;
  ASSERT_TRUE(
      stub_->RetractClaim(ContextWithDeadline().get(), retract, &claim).ok());
  ASSERT_TRUE(watch.reader->Read(&response));
  EXPECT_EQ(response.event().name(), "claims/watched/events/2");
  EXPECT_EQ(response.event().kind(), v1::EVENT_KIND_RETRACTED);
  EXPECT_EQ(response.state(), v1::CLAIM_STATE_RETRACTED);
  watch.ctx->TryCancel();
  while (watch.reader->Read(&response)) {
  }
  watch.reader->Finish();
}

TEST_F(ClaimTrailServiceTest, WatchOfUnknownClaimFailsUpFront) {
  v1::WatchClaimsRequest req;
  req.set_claim("claims/absent");
  auto ctx = ContextWithDeadline();
  auto reader = stub_->WatchClaims(ctx.get(), req);
  v1::WatchClaimsResponse response;
  EXPECT_FALSE(reader->Read(&response));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);

  req.set_claim("not a name");
  ctx = ContextWithDeadline();
  reader = stub_->WatchClaims(ctx.get(), req);
  EXPECT_FALSE(reader->Read(&response));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith("claim"));
}

TEST_F(ClaimTrailServiceTest, CancelledWatchEndsCleanlyAndFreesItsSlot) {
  ServerOptions options;
  options.max_watchers = 1;
  StartServer(options);
  CreateExampleSources();

  Watch first = OpenWatch(stub_.get(), v1::WatchClaimsRequest());
  {
    // The cap: a second concurrent watch is refused.
    auto ctx = ContextWithDeadline();
    auto reader = stub_->WatchClaims(ctx.get(), v1::WatchClaimsRequest());
    v1::WatchClaimsResponse response;
    EXPECT_FALSE(reader->Read(&response));
    const grpc::Status status = reader->Finish();
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_THAT(status.error_message(), HasSubstr("limit 1"));
  }

  first.ctx->TryCancel();
  v1::WatchClaimsResponse response;
  while (first.reader->Read(&response)) {
  }
  EXPECT_EQ(first.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);

  // The slot is released once the server has seen the cancellation.
  bool reopened = false;
  for (int attempt = 0; attempt < 100 && !reopened; ++attempt) {
    Watch again = OpenWatch(stub_.get(), v1::WatchClaimsRequest());
    CreateClaim(absl::StrCat("probe-", attempt));
    if (again.reader->Read(&response)) {
      reopened = true;
      EXPECT_EQ(response.event().sequence(), 1u);
    }
    again.ctx->TryCancel();
    while (again.reader->Read(&response)) {
    }
    again.reader->Finish();
    if (!reopened) absl::SleepFor(absl::Milliseconds(20));
  }
  EXPECT_TRUE(reopened);
}

TEST_F(ClaimTrailServiceTest, ShutdownWithOpenWatchCompletesPromptly) {
  CreateExampleSources();
  Watch watch = OpenWatch(stub_.get(), v1::WatchClaimsRequest());
  v1::WatchClaimsResponse response;

  const absl::Time start = absl::Now();
  server_->Shutdown(absl::Seconds(30));
  EXPECT_LT(absl::Now() - start, absl::Seconds(10));
  while (watch.reader->Read(&response)) {
  }
  const grpc::Status status = watch.reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(status.error_message(), HasSubstr("after_sequence"));
  server_->Wait();  // Returns: shutdown is complete.
}

TEST_F(ClaimTrailServiceTest, ShutdownDuringWritesLosesNoAcknowledgedWrite) {
  CreateExampleSources();
  constexpr int kWriters = 4;
  std::atomic<bool> stop{false};
  std::atomic<int> acknowledged{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> writers;
  const std::string target = absl::StrCat("127.0.0.1:", server_->port());
  const std::string data_dir = server_->data_dir();
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto stub = Connect(target, data_dir);
      for (int i = 0; !stop; ++i) {
        v1::Claim claim;
        const grpc::Status status = stub->CreateClaim(
            ContextWithDeadline(absl::Seconds(5)).get(),
            TroopsClaimRequest(absl::StrCat("w", w, "-", i)), &claim);
        if (status.ok()) {
          ++acknowledged;
        } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  while (acknowledged < 20) absl::SleepFor(absl::Milliseconds(1));
  const absl::Time start = absl::Now();
  server_->Shutdown(absl::Seconds(10));
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  stop = true;
  for (std::thread& t : writers) t.join();
  EXPECT_GT(refused.load(), 0);

  // Every acknowledged write survives the restart. (A call cut off by the
  // shutdown may have been written without an answer: at most one per
  // writer.)
  StartServer(ServerOptions());
  v1::ServerInfo info;
  ASSERT_TRUE(stub_
                  ->GetServerInfo(ContextWithDeadline().get(),
                                  v1::GetServerInfoRequest(), &info)
                  .ok());
  EXPECT_GE(info.claim_count(), acknowledged.load());
  EXPECT_LE(info.claim_count(), acknowledged.load() + other.load());
}

// ---- Start-up errors.

TEST_F(ClaimTrailServiceTest, SecondServerOnTheSameDataDirFails) {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.data_dir = server_->data_dir();
  absl::StatusOr<std::unique_ptr<ClaimTrailServer>> second =
      ClaimTrailServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("in use"));
}

TEST_F(ClaimTrailServiceTest, BindFailureIsUnavailableNamingTheAddress) {
  ServerOptions options;
  options.listen_address = absl::StrCat("127.0.0.1:", server_->port());
  options.data_dir = TempDir("bind-failure");
  absl::StatusOr<std::unique_ptr<ClaimTrailServer>> second =
      ClaimTrailServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(second.status().message()),
              HasSubstr(options.listen_address));
}

TEST_F(ClaimTrailServiceTest, OptionsOutOfRangeAreInvalidArgument) {
  ServerOptions options;
  options.data_dir = TempDir("bad-options");
  options.max_message_bytes = 0;
  absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
      ClaimTrailServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(server.status().message()),
              StartsWith("max_message_bytes"));
}

TEST(ClaimTrailServerTest, ServesOnAUnixSocket) {
  // Unix socket paths are short (108 bytes); $TEST_TMPDIR may be longer.
  char dir_template[] = "/tmp/claimtrail-sock-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string socket_path = absl::StrCat(dir_template, "/s.sock");
  ServerOptions options;
  options.listen_address = absl::StrCat("unix:", socket_path);
  options.data_dir = TempDir("unix-socket");
  absl::StatusOr<std::unique_ptr<ClaimTrailServer>> server =
      ClaimTrailServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->port(), 0);

  auto stub = Connect(options.listen_address, (*server)->data_dir());
  v1::ServerInfo info;
  grpc::Status status = stub->GetServerInfo(ContextWithDeadline().get(),
                                            v1::GetServerInfoRequest(), &info);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(info.version(), "0.1.0");
  (*server)->Shutdown(absl::Seconds(5));
  unlink(socket_path.c_str());
  rmdir(dir_template);
}

}  // namespace
}  // namespace claimtrail
