#include "server/core/auth/roles.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_join.h"

namespace claimtrail {
namespace core {
namespace auth {
namespace {

bool Holds(absl::Span<const v1::Role> held, v1::Role role) {
  return std::find(held.begin(), held.end(), role) != held.end();
}

}  // namespace

bool RolesGrant(absl::Span<const v1::Role> held, v1::Role required) {
  if (Holds(held, v1::ROLE_ADMIN)) return true;
  if (required == v1::ROLE_UNSPECIFIED) return false;
  if (Holds(held, required)) return true;
  return required == v1::ROLE_READER &&
         (Holds(held, v1::ROLE_EDITOR) || Holds(held, v1::ROLE_AUDITOR));
}

absl::string_view RoleName(v1::Role role) {
  switch (role) {
    case v1::ROLE_READER:
      return "reader";
    case v1::ROLE_EDITOR:
      return "editor";
    case v1::ROLE_AUDITOR:
      return "auditor";
    case v1::ROLE_ADMIN:
      return "admin";
    default:
      return "unspecified";
  }
}

std::optional<v1::Role> RoleFromName(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  for (v1::Role role : {v1::ROLE_READER, v1::ROLE_EDITOR, v1::ROLE_AUDITOR,
                        v1::ROLE_ADMIN}) {
    if (lower == RoleName(role)) return role;
  }
  return std::nullopt;
}

std::string DescribeRoles(absl::Span<const v1::Role> roles) {
  if (roles.empty()) return "none";
  return absl::StrJoin(roles, ", ", [](std::string* out, v1::Role role) {
    out->append(std::string(RoleName(role)));
  });
}

std::vector<v1::Role> RolesOf(const v1::Token& token) {
  std::vector<v1::Role> roles;
  for (int role : token.roles()) roles.push_back(static_cast<v1::Role>(role));
  return roles;
}

}  // namespace auth
}  // namespace core
}  // namespace claimtrail
