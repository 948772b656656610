#include "server/core/auth/roles.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace core {
namespace auth {
namespace {

using v1::ROLE_ADMIN;
using v1::ROLE_AUDITOR;
using v1::ROLE_EDITOR;
using v1::ROLE_READER;
using v1::ROLE_UNSPECIFIED;

TEST(RolesTest, EachRoleGrantsExactlyWhatTheModelSays) {
  struct Case {
    v1::Role held;
    v1::Role required;
    bool granted;
  };
  const Case cases[] = {
      {ROLE_READER, ROLE_READER, true},    {ROLE_READER, ROLE_EDITOR, false},
      {ROLE_READER, ROLE_AUDITOR, false},  {ROLE_READER, ROLE_ADMIN, false},
      {ROLE_EDITOR, ROLE_READER, true},    {ROLE_EDITOR, ROLE_EDITOR, true},
      {ROLE_EDITOR, ROLE_AUDITOR, false},  {ROLE_EDITOR, ROLE_ADMIN, false},
      {ROLE_AUDITOR, ROLE_READER, true},   {ROLE_AUDITOR, ROLE_EDITOR, false},
      {ROLE_AUDITOR, ROLE_AUDITOR, true},  {ROLE_AUDITOR, ROLE_ADMIN, false},
      {ROLE_ADMIN, ROLE_READER, true},     {ROLE_ADMIN, ROLE_EDITOR, true},
      {ROLE_ADMIN, ROLE_AUDITOR, true},    {ROLE_ADMIN, ROLE_ADMIN, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RolesGrant({c.held}, c.required), c.granted)
        << RoleName(c.held) << " -> " << RoleName(c.required);
  }
}

TEST(RolesTest, SeveralRolesAddUpAndNoRolesGrantNothing) {
  EXPECT_TRUE(RolesGrant({ROLE_EDITOR, ROLE_AUDITOR}, ROLE_AUDITOR));
  EXPECT_TRUE(RolesGrant({ROLE_EDITOR, ROLE_AUDITOR}, ROLE_EDITOR));
  EXPECT_FALSE(RolesGrant({ROLE_EDITOR, ROLE_AUDITOR}, ROLE_ADMIN));
  EXPECT_FALSE(RolesGrant({}, ROLE_READER));
  EXPECT_FALSE(RolesGrant({ROLE_UNSPECIFIED}, ROLE_READER));
  // An unspecified requirement is an error in the table: only admin passes.
  EXPECT_FALSE(RolesGrant({ROLE_EDITOR}, ROLE_UNSPECIFIED));
  EXPECT_TRUE(RolesGrant({ROLE_ADMIN}, ROLE_UNSPECIFIED));
}

TEST(RolesTest, NamesRoundTrip) {
  for (v1::Role role : {ROLE_READER, ROLE_EDITOR, ROLE_AUDITOR, ROLE_ADMIN}) {
    EXPECT_EQ(RoleFromName(RoleName(role)), role);
  }
  EXPECT_EQ(RoleFromName("Editor"), ROLE_EDITOR);
  EXPECT_EQ(RoleFromName("root"), std::nullopt);
  EXPECT_EQ(DescribeRoles({ROLE_EDITOR, ROLE_READER}), "editor, reader");
  EXPECT_EQ(DescribeRoles({}), "none");
}

}  // namespace
}  // namespace auth
}  // namespace core
}  // namespace claimtrail
