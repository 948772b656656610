// Test helpers for servers that require API tokens: read the bootstrap admin
// token, make channels that send a token on every call, issue tokens.
#ifndef CLAIMTRAIL_TESTS_SERVER_SERVICE_AUTH_TEST_UTIL_H_
#define CLAIMTRAIL_TESTS_SERVER_SERVICE_AUTH_TEST_UTIL_H_

#include <grpcpp/channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "proto/claimtrail/v1/admin.pb.h"

namespace claimtrail {
namespace testing {

// DATA_DIR/admin.token without its trailing newline; "" if unreadable (a
// call with it then fails UNAUTHENTICATED, which says enough).
std::string ReadAdminToken(const std::string& data_dir);

// A channel to `target` whose every call carries the metadata
// "authorization: Bearer <token>" (nothing when `token` is empty).
std::shared_ptr<grpc::Channel> ChannelWithToken(
    const std::string& target, const std::string& token,
    std::shared_ptr<grpc::ChannelCredentials> credentials =
        grpc::InsecureChannelCredentials(),
    const grpc::ChannelArguments& args = grpc::ChannelArguments());

// Issues a token for `principal` with `roles` through `admin_channel` (whose
// calls must carry an admin token). Returns the bearer token.
absl::StatusOr<std::string> IssueToken(
    const std::shared_ptr<grpc::Channel>& admin_channel,
    const std::string& principal, const std::vector<v1::Role>& roles);

// Revokes the token `bearer_token` through `admin_channel`.
absl::Status RevokeBearerToken(
    const std::shared_ptr<grpc::Channel>& admin_channel,
    const std::string& bearer_token);

}  // namespace testing
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_SERVER_SERVICE_AUTH_TEST_UTIL_H_
