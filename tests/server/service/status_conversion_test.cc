#include "server/service/status_conversion.h"

#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace service {
namespace {

TEST(ToGrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(ToGrpcStatusTest, EveryCanonicalCodeKeepsCodeAndMessage) {
  for (int code = 1; code <= 16; ++code) {
    const absl::Status in(static_cast<absl::StatusCode>(code),
                          "claim.text: must not be empty");
    const grpc::Status out = ToGrpcStatus(in);
    EXPECT_EQ(static_cast<int>(out.error_code()), code) << in;
    EXPECT_EQ(out.error_message(), "claim.text: must not be empty") << in;
  }
}

TEST(ToGrpcStatusTest, NamedCodesMatch) {
  EXPECT_EQ(ToGrpcStatus(absl::InvalidArgumentError("x")).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("x")).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ToGrpcStatus(absl::AbortedError("x")).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(ToGrpcStatus(absl::FailedPreconditionError("x")).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ToGrpcStatus(absl::ResourceExhaustedError("x")).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ToGrpcStatus(absl::UnauthenticatedError("x")).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ToGrpcStatus(absl::DataLossError("x")).error_code(),
            grpc::StatusCode::DATA_LOSS);
}

TEST(ToGrpcStatusTest, UnknownCodeBecomesUnknownKeepingMessage) {
  const grpc::Status out =
      ToGrpcStatus(absl::Status(static_cast<absl::StatusCode>(99), "odd"));
  EXPECT_EQ(out.error_code(), grpc::StatusCode::UNKNOWN);
  EXPECT_EQ(out.error_message(), "odd");
}

TEST(ToGrpcStatusTest, KeepsNonAsciiAndEmptyMessages) {
  EXPECT_EQ(
      ToGrpcStatus(absl::NotFoundError("claims/ä not found")).error_message(),
      "claims/ä not found");
  const grpc::Status empty = ToGrpcStatus(absl::InternalError(""));
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(empty.error_message(), "");
}

}  // namespace
}  // namespace service
}  // namespace claimtrail
