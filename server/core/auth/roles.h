// Roles: what a token's holder may do, and how roles include one another.
//
//   reader  - every read and WatchClaims
//   editor  - reader + create and change claims and sources
//   auditor - reader + sourcing reports and exports
//   admin   - everything (tokens, redaction, imports)
//
// Which role each RPC requires is decided by the service layer's one table
// (server/service/authorizer.cc); this file decides whether held roles
// satisfy a required one.
#ifndef CLAIMTRAIL_SERVER_CORE_AUTH_ROLES_H_
#define CLAIMTRAIL_SERVER_CORE_AUTH_ROLES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "proto/claimtrail/v1/admin.pb.h"

namespace claimtrail {
namespace core {
namespace auth {

// True when holding `held` allows what `required` allows: `required` is
// held, or admin is held, or `required` is reader and editor or auditor is
// held. Never true for ROLE_UNSPECIFIED as `required` unless admin is held.
// Pure, thread-safe.
bool RolesGrant(absl::Span<const v1::Role> held, v1::Role required);

// "reader", "editor", "auditor", "admin"; "unspecified" otherwise.
absl::string_view RoleName(v1::Role role);

// The role named `name` (as RoleName prints it, case-insensitive), or
// nullopt.
std::optional<v1::Role> RoleFromName(absl::string_view name);

// "editor, reader" (names joined in the given order); "none" if empty.
std::string DescribeRoles(absl::Span<const v1::Role> roles);

// Roles from a repeated proto field, as the enum.
std::vector<v1::Role> RolesOf(const v1::Token& token);

}  // namespace auth
}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_AUTH_ROLES_H_
