#include "server/core/auth/token_secret.h"

#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace core {
namespace auth {
namespace {

const std::string kId = "0123456789abcdef";
const std::string kSecret(64, 'a');

TEST(TokenSecretTest, FormatsAndParsesTheBearerToken) {
  const std::string bearer = FormatBearerToken(kId, kSecret);
  EXPECT_EQ(bearer, "ct_0123456789abcdef_" + kSecret);
  std::optional<BearerParts> parts = ParseBearerToken(bearer);
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->token_id, kId);
  EXPECT_EQ(parts->secret, kSecret);
}

TEST(TokenSecretTest, RejectsEverythingElse) {
  for (const std::string& bad : {
           std::string(""),
           std::string("ct_"),
           "xx_" + kId + "_" + kSecret,            // Prefix.
           "ct_" + kId + "-" + kSecret,            // Separator.
           "ct_" + kId.substr(1) + "_" + kSecret,  // Short id.
           "ct_" + kId + "_" + kSecret + "a",      // Long secret.
           "ct_" + kId + "_" + kSecret.substr(1),  // Short secret.
           "ct_0123456789ABCDEF_" + kSecret,       // Upper case.
           "ct_" + kId + "_" + std::string(63, 'a') + "g",
           " ct_" + kId + "_" + kSecret,
       }) {
    EXPECT_FALSE(ParseBearerToken(bad).has_value()) << bad;
  }
}

TEST(TokenSecretTest, HashIsSha256OfSaltThenSecret) {
  // FIPS 180-2 test vector: SHA-256("abc"), split between salt and secret.
  const std::string expected = absl::HexStringToBytes(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(SaltedSecretHash("", "abc"), expected);
  EXPECT_EQ(SaltedSecretHash("a", "bc"), expected);
  EXPECT_NE(SaltedSecretHash("salt1", kSecret),
            SaltedSecretHash("salt2", kSecret));
}

TEST(TokenSecretTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(TokenSecretTest, RandomHexIsFreshLowerHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<std::string> hex = RandomHex(32);
    ASSERT_TRUE(hex.ok()) << hex.status();
    ASSERT_EQ(hex->size(), 64u);
    EXPECT_THAT(*hex, ::testing::MatchesRegex("[0-9a-f]+"));
    EXPECT_TRUE(seen.insert(*hex).second);
  }
  absl::StatusOr<std::string> bytes = RandomBytes(kSaltBytes);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), static_cast<size_t>(kSaltBytes));
}

}  // namespace
}  // namespace auth
}  // namespace core
}  // namespace claimtrail
