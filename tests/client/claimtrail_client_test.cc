// ClaimTrailClient against the generated mock stub: status mapping, request
// ids and their reuse across retries, deadlines, auth metadata, and the
// WatchClaims loop.
#include "client/claimtrail_client.h"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/test/client_context_test_peer.h"
#include "grpcpp/test/mock_stream.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/admin_mock.grpc.pb.h"
#include "proto/claimtrail/v1/service_mock.grpc.pb.h"

namespace claimtrail {
namespace client {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::Invoke;
using ::testing::MatchesRegex;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;

using MockReader = grpc::testing::MockClientReader<v1::WatchClaimsResponse>;

constexpr char kUuidV4Pattern[] =
    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

absl::Time FromChrono(std::chrono::system_clock::time_point t) {
  return absl::FromChrono(t);
}

class ClaimTrailClientTest : public ::testing::Test {
 protected:
  ClaimTrailClientTest() : stub_(std::make_shared<v1::MockClaimTrailStub>()) {
    options_.sleep = [this](absl::Duration d) { sleeps_.push_back(d); };
  }

  ClaimTrailClient MakeClient() { return ClaimTrailClient(stub_, options_); }

  std::shared_ptr<v1::MockClaimTrailStub> stub_;
  ClientOptions options_;
  std::vector<absl::Duration> sleeps_;
};

TEST(NewRequestIdTest, IsAVersion4UuidAndFresh) {
  const std::string a = NewRequestId();
  const std::string b = NewRequestId();
  EXPECT_THAT(a, MatchesRegex(kUuidV4Pattern));
  EXPECT_THAT(b, MatchesRegex(kUuidV4Pattern));
  EXPECT_NE(a, b);
}

TEST(FromGrpcStatusTest, KeepsCodeAndMessage) {
  const std::vector<grpc::StatusCode> codes = {
      grpc::StatusCode::INVALID_ARGUMENT,
      grpc::StatusCode::NOT_FOUND,
      grpc::StatusCode::ABORTED,
      grpc::StatusCode::ALREADY_EXISTS,
      grpc::StatusCode::FAILED_PRECONDITION,
      grpc::StatusCode::UNAVAILABLE,
      grpc::StatusCode::DEADLINE_EXCEEDED,
      grpc::StatusCode::PERMISSION_DENIED,
      grpc::StatusCode::UNAUTHENTICATED,
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      grpc::StatusCode::INTERNAL};
  for (grpc::StatusCode code : codes) {
    absl::Status status = FromGrpcStatus(grpc::Status(code, "why it failed"));
    EXPECT_EQ(static_cast<int>(status.code()), static_cast<int>(code));
    EXPECT_EQ(status.message(), "why it failed");
  }
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST_F(ClaimTrailClientTest, ReturnsResponseOnOk) {
  v1::Claim claim;
  claim.set_name("claims/nk-troops");
  claim.set_text("North Korea has sent troops to Russia.");
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(claim), Return(grpc::Status::OK)));
  v1::GetClaimRequest request;
  request.set_name("claims/nk-troops");
  absl::StatusOr<v1::Claim> got = MakeClient().GetClaim(request);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->text(), claim.text());
}

TEST_F(ClaimTrailClientTest, MapsServerErrorToSameCodeAndMessage) {
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .WillOnce(Return(
          grpc::Status(grpc::StatusCode::NOT_FOUND, "claims/nope not found")));
  absl::StatusOr<v1::Claim> got = MakeClient().GetClaim(v1::GetClaimRequest());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(got.status().message(), "claims/nope not found");
}

TEST_F(ClaimTrailClientTest, GeneratesRequestIdWhenEmpty) {
  v1::CreateClaimRequest sent;
  EXPECT_CALL(*stub_, CreateClaim(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), Return(grpc::Status::OK)));
  v1::CreateClaimRequest request;
  request.mutable_claim()->set_text("text");
  ASSERT_TRUE(MakeClient().CreateClaim(request).ok());
  EXPECT_THAT(sent.request_id(), MatchesRegex(kUuidV4Pattern));
  EXPECT_EQ(sent.claim().text(), "text");
}

TEST_F(ClaimTrailClientTest, KeepsCallersRequestId) {
  v1::RecordStanceRequest sent;
  EXPECT_CALL(*stub_, RecordStance(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&sent), Return(grpc::Status::OK)));
  v1::RecordStanceRequest request;
  request.set_request_id("my-id-1");
  ASSERT_TRUE(MakeClient().RecordStance(request).ok());
  EXPECT_EQ(sent.request_id(), "my-id-1");
}

TEST_F(ClaimTrailClientTest, EachCallGetsItsOwnRequestId) {
  std::vector<std::string> ids;
  EXPECT_CALL(*stub_, CreateSource(_, _, _))
      .Times(2)
      .WillRepeatedly(
          Invoke([&](grpc::ClientContext*,
                     const v1::CreateSourceRequest& request, v1::Source*) {
            ids.push_back(request.request_id());
            return grpc::Status::OK;
          }));
  ClaimTrailClient client = MakeClient();
  ASSERT_TRUE(client.CreateSource(v1::CreateSourceRequest()).ok());
  ASSERT_TRUE(client.CreateSource(v1::CreateSourceRequest()).ok());
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_NE(ids[0], ids[1]);
}

TEST_F(ClaimTrailClientTest, RetriesUnavailableReusingTheSameRequestId) {
  std::vector<std::string> ids;
  int calls = 0;
  v1::Claim confirmed;
  confirmed.set_state(v1::CLAIM_STATE_CONFIRMED);
  EXPECT_CALL(*stub_, RecordStance(_, _, _))
      .Times(3)
      .WillRepeatedly(Invoke([&](grpc::ClientContext*,
                                 const v1::RecordStanceRequest& request,
                                 v1::Claim* response) {
        ids.push_back(request.request_id());
        if (++calls < 3) {
          return grpc::Status(grpc::StatusCode::UNAVAILABLE, "restarting");
        }
        *response = confirmed;
        return grpc::Status::OK;
      }));
  absl::StatusOr<v1::Claim> got =
      MakeClient().RecordStance(v1::RecordStanceRequest());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->state(), v1::CLAIM_STATE_CONFIRMED);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_THAT(ids[0], MatchesRegex(kUuidV4Pattern));
  EXPECT_EQ(ids[1], ids[0]);
  EXPECT_EQ(ids[2], ids[0]);
  // Exponential backoff between attempts.
  EXPECT_THAT(sleeps_, ::testing::ElementsAre(absl::Milliseconds(100),
                                              absl::Milliseconds(200)));
}

TEST_F(ClaimTrailClientTest, GivesUpAfterMaxRetries) {
  options_.max_retries = 2;
  EXPECT_CALL(*stub_, AddAppearance(_, _, _))
      .Times(3)
      .WillRepeatedly(
          Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  absl::StatusOr<v1::Claim> got =
      MakeClient().AddAppearance(v1::AddAppearanceRequest());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(got.status().message(), "down");
}

TEST_F(ClaimTrailClientTest, DoesNotRetryInvalidArgument) {
  EXPECT_CALL(*stub_, CreateClaim(_, _, _))
      .Times(1)
      .WillOnce(Return(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "claim.text: must not be empty")));
  absl::StatusOr<v1::Claim> got =
      MakeClient().CreateClaim(v1::CreateClaimRequest());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), "claim.text: must not be empty");
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(ClaimTrailClientTest, DoesNotRetryDeadlineExceededOrAborted) {
  EXPECT_CALL(*stub_, ReviseFigure(_, _, _))
      .WillOnce(
          Return(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late")))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::ABORTED, "stale etag")));
  ClaimTrailClient client = MakeClient();
  EXPECT_EQ(client.ReviseFigure(v1::ReviseFigureRequest()).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(client.ReviseFigure(v1::ReviseFigureRequest()).status().code(),
            absl::StatusCode::kAborted);
}

TEST_F(ClaimTrailClientTest, RetriesReadsToo) {
  EXPECT_CALL(*stub_, GetServerInfo(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_TRUE(MakeClient().GetServerInfo().ok());
}

TEST_F(ClaimTrailClientTest, SetsDeadlineFromOptions) {
  options_.default_deadline = absl::Seconds(7);
  absl::Time deadline;
  EXPECT_CALL(*stub_, GetSource(_, _, _))
      .WillOnce(Invoke([&](grpc::ClientContext* context,
                           const v1::GetSourceRequest&, v1::Source*) {
        deadline = FromChrono(context->deadline());
        return grpc::Status::OK;
      }));
  const absl::Time before = absl::Now();
  ASSERT_TRUE(MakeClient().GetSource(v1::GetSourceRequest()).ok());
  const absl::Time after = absl::Now();
  EXPECT_GE(deadline, before + absl::Seconds(7) - absl::Milliseconds(1));
  EXPECT_LE(deadline, after + absl::Seconds(7) + absl::Milliseconds(1));
}

TEST_F(ClaimTrailClientTest, RetriesShareOneDeadline) {
  std::vector<absl::Time> deadlines;
  EXPECT_CALL(*stub_, GetClaim(_, _, _))
      .Times(2)
      .WillRepeatedly(Invoke([&](grpc::ClientContext* context,
                                 const v1::GetClaimRequest&, v1::Claim*) {
        deadlines.push_back(FromChrono(context->deadline()));
        return deadlines.size() == 1
                   ? grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")
                   : grpc::Status::OK;
      }));
  ASSERT_TRUE(MakeClient().GetClaim(v1::GetClaimRequest()).ok());
  ASSERT_EQ(deadlines.size(), 2u);
  EXPECT_EQ(deadlines[0], deadlines[1]);
}

TEST_F(ClaimTrailClientTest, AttachesBearerTokenWhenSet) {
  options_.token = "s3cret";
  std::multimap<std::string, std::string> metadata;
  EXPECT_CALL(*stub_, ListClaims(_, _, _))
      .WillOnce(
          Invoke([&](grpc::ClientContext* context, const v1::ListClaimsRequest&,
                     v1::ListClaimsResponse*) {
            metadata = grpc::testing::ClientContextTestPeer(context)
                           .GetSendInitialMetadata();
            return grpc::Status::OK;
          }));
  ASSERT_TRUE(MakeClient().ListClaims(v1::ListClaimsRequest()).ok());
  ASSERT_EQ(metadata.count("authorization"), 1u);
  EXPECT_EQ(metadata.find("authorization")->second, "Bearer s3cret");
}

TEST_F(ClaimTrailClientTest, SendsNoAuthorizationWithoutToken) {
  std::multimap<std::string, std::string> metadata = {{"sentinel", "x"}};
  EXPECT_CALL(*stub_, ListClaims(_, _, _))
      .WillOnce(
          Invoke([&](grpc::ClientContext* context, const v1::ListClaimsRequest&,
                     v1::ListClaimsResponse*) {
            metadata = grpc::testing::ClientContextTestPeer(context)
                           .GetSendInitialMetadata();
            return grpc::Status::OK;
          }));
  ASSERT_TRUE(MakeClient().ListClaims(v1::ListClaimsRequest()).ok());
  EXPECT_EQ(metadata.count("authorization"), 0u);
}

TEST(ConnectTest, RejectsEmptyAddress) {
  ClientOptions options;
  options.server_address = "";
  EXPECT_EQ(ClaimTrailClient::Connect(options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ConnectTest, UnreachableServerIsUnavailable) {
  ClientOptions options;
  // Port 1 on loopback: nothing listens there, so the connect is refused.
  options.server_address = "127.0.0.1:1";
  options.max_retries = 1;
  options.initial_backoff = absl::Milliseconds(1);
  options.default_deadline = absl::Seconds(5);
  absl::StatusOr<std::unique_ptr<ClaimTrailClient>> client =
      ClaimTrailClient::Connect(options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->GetServerInfo().status().code(),
            absl::StatusCode::kUnavailable);
}

// ---- WatchClaims.

v1::WatchClaimsResponse EventWithSequence(uint64_t sequence) {
  v1::WatchClaimsResponse response;
  response.mutable_event()->set_sequence(sequence);
  response.set_state(v1::CLAIM_STATE_UNCONFIRMED);
  return response;
}

// A reader that yields `responses` and then ends with `finish`.
MockReader* ScriptedReader(std::vector<v1::WatchClaimsResponse> responses,
                           grpc::Status finish) {
  auto* reader = new MockReader();
  auto next = std::make_shared<size_t>(0);
  EXPECT_CALL(*reader, Read(_))
      .WillRepeatedly(Invoke([responses, next](v1::WatchClaimsResponse* out) {
        if (*next >= responses.size()) return false;
        *out = responses[(*next)++];
        return true;
      }));
  EXPECT_CALL(*reader, Finish()).WillOnce(Return(finish));
  return reader;
}

TEST_F(ClaimTrailClientTest, WatchDeliversEveryEventUntilTheStreamEnds) {
  v1::WatchClaimsRequest sent;
  EXPECT_CALL(*stub_, WatchClaimsRaw(_, _))
      .WillOnce(DoAll(
          SaveArg<1>(&sent),
          Return(ScriptedReader({EventWithSequence(1), EventWithSequence(2)},
                                grpc::Status::OK))));
  v1::WatchClaimsRequest request;
  request.set_claim("claims/nk-troops");
  std::vector<uint64_t> seen;
  absl::Status status = MakeClient().WatchClaims(
      request, [&](const v1::WatchClaimsResponse& response) {
        seen.push_back(response.event().sequence());
        return true;
      });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_THAT(seen, ::testing::ElementsAre(1, 2));
  EXPECT_EQ(sent.claim(), "claims/nk-troops");
}

TEST_F(ClaimTrailClientTest, WatchStopsWhenCallbackSaysSo) {
  EXPECT_CALL(*stub_, WatchClaimsRaw(_, _))
      .WillOnce(Return(ScriptedReader(
          {EventWithSequence(1), EventWithSequence(2), EventWithSequence(3)},
          grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"))));
  int calls = 0;
  absl::Status status = MakeClient().WatchClaims(
      v1::WatchClaimsRequest(),
      [&](const v1::WatchClaimsResponse&) { return ++calls < 2; });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(calls, 2);
}

TEST_F(ClaimTrailClientTest, WatchResumesAfterLastSequenceWhenConnectionDrops) {
  std::vector<v1::WatchClaimsRequest> requests;
  EXPECT_CALL(*stub_, WatchClaimsRaw(_, _))
      .WillOnce(DoAll(
          Invoke([&](grpc::ClientContext*, const v1::WatchClaimsRequest& r) {
            requests.push_back(r);
          }),
          Return(ScriptedReader(
              {EventWithSequence(5)},
              grpc::Status(grpc::StatusCode::UNAVAILABLE, "restart")))))
      .WillOnce(DoAll(
          Invoke([&](grpc::ClientContext*, const v1::WatchClaimsRequest& r) {
            requests.push_back(r);
          }),
          Return(ScriptedReader({EventWithSequence(6)}, grpc::Status::OK))));
  v1::WatchClaimsRequest request;
  request.set_from_now(true);
  std::vector<uint64_t> seen;
  absl::Status status = MakeClient().WatchClaims(
      request, [&](const v1::WatchClaimsResponse& response) {
        seen.push_back(response.event().sequence());
        return true;
      });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_THAT(seen, ::testing::ElementsAre(5, 6));
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_TRUE(requests[0].from_now());
  EXPECT_FALSE(requests[1].from_now());
  EXPECT_EQ(requests[1].after_sequence(), 5u);
}

TEST_F(ClaimTrailClientTest, WatchReturnsServerErrors) {
  EXPECT_CALL(*stub_, WatchClaimsRaw(_, _))
      .WillOnce(
          Return(ScriptedReader({}, grpc::Status(grpc::StatusCode::NOT_FOUND,
                                                 "claims/nope not found"))));
  absl::Status status = MakeClient().WatchClaims(
      v1::WatchClaimsRequest(),
      [](const v1::WatchClaimsResponse&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "claims/nope not found");
}

TEST_F(ClaimTrailClientTest, WatchEndsOkWhenCancelFlagIsSet) {
  std::atomic<bool> cancel{false};
  auto* reader = new MockReader();
  int reads = 0;
  EXPECT_CALL(*reader, Read(_))
      .WillRepeatedly(Invoke([&](v1::WatchClaimsResponse* out) {
        if (++reads == 1) {
          *out = EventWithSequence(1);
          return true;
        }
        // A live stream blocks here until the call is cancelled.
        while (!cancel.load()) absl::SleepFor(absl::Milliseconds(5));
        return false;
      }));
  EXPECT_CALL(*reader, Finish())
      .WillOnce(Return(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled")));
  absl::Time deadline;
  EXPECT_CALL(*stub_, WatchClaimsRaw(_, _))
      .WillOnce(Invoke(
          [&](grpc::ClientContext* context, const v1::WatchClaimsRequest&) {
            deadline = FromChrono(context->deadline());
            return reader;
          }));
  WatchOptions watch;
  watch.cancel = &cancel;
  watch.cancel_poll_interval = absl::Milliseconds(5);
  absl::Status status = MakeClient().WatchClaims(
      v1::WatchClaimsRequest(),
      [&](const v1::WatchClaimsResponse&) {
        cancel.store(true);
        return true;
      },
      watch);
  EXPECT_TRUE(status.ok()) << status;
  // A change feed has no deadline unless asked for one.
  EXPECT_GT(deadline, absl::Now() + absl::Hours(24 * 365));
}

// ---- API tokens and TLS.

TEST_F(ClaimTrailClientTest, CreateTokenIsSentOnceButOtherTokenCallsRetry) {
  auto admin = std::make_shared<v1::MockAdminStub>();
  ClaimTrailClient client(stub_, admin, options_);
  EXPECT_CALL(*admin, CreateToken(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_EQ(client.CreateToken(v1::CreateTokenRequest()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_CALL(*admin, RevokeToken(_, _, _))
      .WillOnce(Return(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")))
      .WillOnce(Return(grpc::Status::OK));
  EXPECT_TRUE(client.RevokeToken(v1::RevokeTokenRequest()).ok());
  EXPECT_EQ(sleeps_.size(), 1u);
}

TEST_F(ClaimTrailClientTest, TokenCallsWithoutAnAdminStubAreUnimplemented) {
  EXPECT_EQ(MakeClient().ListTokens(v1::ListTokensRequest()).status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(ClaimTrailClientTest, TokenCallsCarryTheBearerToken) {
  auto admin = std::make_shared<v1::MockAdminStub>();
  options_.token = "ct_x";
  ClaimTrailClient client(stub_, admin, options_);
  EXPECT_CALL(*admin, GetToken(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext* ctx, const v1::GetTokenRequest&,
                          v1::Token*) {
        grpc::testing::ClientContextTestPeer peer(ctx);
        const auto metadata = peer.GetSendInitialMetadata();
        auto it = metadata.find("authorization");
        EXPECT_NE(it, metadata.end());
        if (it != metadata.end()) {
          EXPECT_EQ(it->second, "Bearer ct_x");
        }
        return grpc::Status::OK;
      }));
  EXPECT_TRUE(client.GetToken(v1::GetTokenRequest()).ok());
}

TEST(ChannelCredentialsTest, PlaintextUnlessTlsIsAskedFor) {
  ClientOptions options;
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFor(options);
  ASSERT_TRUE(credentials.ok());
  EXPECT_NE(*credentials, nullptr);
}

TEST(ChannelCredentialsTest, TlsFilesAreReadNowAndNamedWhenBad) {
  ClientOptions options;
  options.tls.ca_file = "/nonexistent/ca.pem";
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFor(options);
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(credentials.status().message()),
              ::testing::StartsWith("tls.ca_file: cannot read "
                                    "/nonexistent/ca.pem"));
  EXPECT_EQ(ClaimTrailClient::Connect(options).status().code(),
            absl::StatusCode::kInvalidArgument);

  options.tls = TlsOptions();
  options.tls.cert_file = "/some/client.pem";
  EXPECT_THAT(std::string(ChannelCredentialsFor(options).status().message()),
              ::testing::StartsWith("tls.key_file: required"));

  // System roots: TLS without files.
  options.tls = TlsOptions();
  options.tls.enabled = true;
  EXPECT_TRUE(ChannelCredentialsFor(options).ok());
}

}  // namespace
}  // namespace client
}  // namespace claimtrail
