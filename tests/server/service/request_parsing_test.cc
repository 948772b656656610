// Tests of ParseRequest: gRPC request bytes (in one or many slices) to a
// message, or INVALID_ARGUMENT naming the field. What the diagnosis says in
// detail is wire_diagnosis_test's subject.
#include "server/service/request_parsing.h"

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/slice.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/claimtrail/v1/service.pb.h"

namespace claimtrail {
namespace service {
namespace {

using ::testing::StartsWith;

// `bytes` cut into slices of at most `slice_size` bytes.
grpc::ByteBuffer Buffer(const std::string& bytes, size_t slice_size) {
  std::vector<grpc::Slice> slices;
  for (size_t at = 0; at < bytes.size(); at += slice_size) {
    slices.emplace_back(bytes.substr(at, slice_size));
  }
  if (slices.empty()) slices.emplace_back("");
  return grpc::ByteBuffer(slices.data(), slices.size());
}

std::string Contents(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

v1::CreateClaimRequest Request() {
  v1::CreateClaimRequest request;
  request.set_request_id("r-1");
  request.mutable_claim()->set_text("North Korea has sent troops to Russia.");
  request.mutable_claim()->add_topics("north-korea");
  request.mutable_claim()->add_attributions()->add_hops()->set_source(
      "sources/nis");
  return request;
}

TEST(ParseRequestTest, ValidBytesInAnySlicingParseToTheSameMessage) {
  const v1::CreateClaimRequest request = Request();
  const std::string bytes = request.SerializeAsString();
  for (size_t slice_size : {bytes.size(), size_t{7}, size_t{1}}) {
    const grpc::ByteBuffer buffer = Buffer(bytes, slice_size);
    v1::CreateClaimRequest parsed;
    parsed.set_claim_id("left over");
    ASSERT_TRUE(ParseRequest(buffer, &parsed).ok()) << slice_size;
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(parsed, request))
        << slice_size;
    // The caller's buffer is untouched (the parse reads a copy of it).
    EXPECT_EQ(Contents(buffer), bytes);
  }
}

TEST(ParseRequestTest, AnEmptyMessageIsTheDefaultRequest) {
  v1::CreateClaimRequest parsed;
  parsed.set_request_id("left over");
  EXPECT_TRUE(ParseRequest(Buffer("", 1), &parsed).ok());
  EXPECT_EQ(parsed.ByteSizeLong(), 0u);
}

TEST(ParseRequestTest, UnknownFieldsAreKept) {
  const std::string bytes = Request().SerializeAsString() + "\xa2\x06\x01x";
  v1::CreateClaimRequest parsed;
  ASSERT_TRUE(ParseRequest(Buffer(bytes, 5), &parsed).ok());
  EXPECT_EQ(parsed.SerializeAsString(), bytes);
}

TEST(ParseRequestTest, InvalidUtf8IsNamedEvenAcrossSlices) {
  v1::CreateClaimRequest request = Request();
  request.mutable_claim()->mutable_attributions(0)->add_hops()->set_source(
      "sources/MARK");
  std::string bytes = request.SerializeAsString();
  bytes.replace(bytes.find("MARK"), 4, "\xed\xa0\x80\x80");
  for (size_t slice_size : {bytes.size(), size_t{3}}) {
    v1::CreateClaimRequest parsed;
    parsed.set_request_id("left over");
    const absl::Status status =
        ParseRequest(Buffer(bytes, slice_size), &parsed);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(),
              "claim.attributions[0].hops[1].source: not valid UTF-8 (at byte "
              "8 of 12: 0xed)");
    EXPECT_EQ(parsed.ByteSizeLong(), 0u) << "left empty on failure";
  }
}

TEST(ParseRequestTest, TruncatedBytesAreNotARequest) {
  const std::string bytes = Request().SerializeAsString();
  v1::CreateClaimRequest parsed;
  const absl::Status status =
      ParseRequest(Buffer(bytes.substr(0, bytes.size() - 3), 4), &parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      std::string(status.message()),
      StartsWith("request: not a valid claimtrail.v1.CreateClaimRequest "
                 "(truncated or malformed protobuf bytes at offset "));
}

TEST(ParseRequestTest, NoMessageAtAllIsSaidSo) {
  v1::GetClaimRequest parsed;
  const absl::Status status = ParseRequest(grpc::ByteBuffer(), &parsed);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      status.message(),
      "request: missing (the call carried no claimtrail.v1.GetClaimRequest "
      "message)");
}

}  // namespace
}  // namespace service
}  // namespace claimtrail
