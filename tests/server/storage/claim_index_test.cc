#include "server/storage/claim_index.h"

#include <string>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace storage {
namespace {

using ::testing::Contains;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ClaimIndexTest, ComputesEveryIndex) {
  v1::Claim claim;
  claim.set_name("claims/c");
  claim.set_text("Troops sent");
  claim.set_state(v1::CLAIM_STATE_DISPUTED);
  claim.add_topics("war-2024");
  claim.add_attributions()->add_hops()->set_source("sources/nis");
  claim.mutable_attributions(0)->add_hops()->set_source("sources/yonhap");
  auto* figure = claim.add_figures();
  figure->set_label("Soldiers deployed");
  figure->add_sources()->set_source("sources/nis");  // Deduped.
  claim.add_stances()->set_party("sources/russia");
  claim.add_stances()->set_party("");  // Empty values are skipped.

  EXPECT_THAT(
      ClaimIndexValues(claim),
      UnorderedElementsAre(
          Pair(ClaimIndex::kSource, "sources/nis"),
          Pair(ClaimIndex::kSource, "sources/yonhap"),
          Pair(ClaimIndex::kParty, "sources/russia"),
          Pair(ClaimIndex::kState, "CLAIM_STATE_DISPUTED"),
          Pair(ClaimIndex::kTopic, "war-2024"), Pair(ClaimIndex::kToken, "war"),
          Pair(ClaimIndex::kToken, "2024"), Pair(ClaimIndex::kToken, "troops"),
          Pair(ClaimIndex::kToken, "sent"),
          Pair(ClaimIndex::kToken, "soldiers"),
          Pair(ClaimIndex::kToken, "deployed")));
}

TEST(ClaimIndexTest, MinimalClaimHasOnlyItsState) {
  v1::Claim claim;
  EXPECT_THAT(ClaimIndexValues(claim),
              UnorderedElementsAre(
                  Pair(ClaimIndex::kState, "CLAIM_STATE_UNSPECIFIED")));
  EXPECT_THAT(ClaimIndexValues(claim),
              Not(Contains(Pair(ClaimIndex::kParty, ""))));
}

TEST(ClaimIndexTest, WithoutTokensLeavesOnlyTheTokenIndexOut) {
  v1::Claim claim;
  claim.set_text("troops sent");
  claim.add_topics("war");
  claim.add_stances()->set_party("sources/russia");
  EXPECT_THAT(ClaimIndexValues(claim, /*with_tokens=*/false),
              UnorderedElementsAre(
                  Pair(ClaimIndex::kParty, "sources/russia"),
                  Pair(ClaimIndex::kState, "CLAIM_STATE_UNSPECIFIED"),
                  Pair(ClaimIndex::kTopic, "war")));
}

TEST(ClaimIndexTest, SameTokenInputsComparesTextTopicsAndLabels) {
  v1::Claim a;
  a.set_text("troops sent");
  a.add_topics("war");
  a.add_figures()->set_label("soldiers");
  v1::Claim b = a;
  b.add_stances()->set_party("sources/russia");  // Not a token input.
  b.set_state(v1::CLAIM_STATE_CONFIRMED);
  EXPECT_TRUE(SameTokenInputs(a, b));
  v1::Claim text = a;
  text.set_text("troops withdrawn");
  EXPECT_FALSE(SameTokenInputs(a, text));
  v1::Claim topic = a;
  topic.set_topics(0, "peace");
  EXPECT_FALSE(SameTokenInputs(a, topic));
  v1::Claim label = a;
  label.mutable_figures(0)->set_label("casualties");
  EXPECT_FALSE(SameTokenInputs(a, label));
  v1::Claim more = a;
  more.add_figures()->set_label("soldiers");
  EXPECT_FALSE(SameTokenInputs(a, more));
}

TEST(ClaimIndexTest, NamesAreStable) {
  // These strings are part of the on-disk key grammar.
  EXPECT_EQ(ClaimIndexName(ClaimIndex::kSource), "source");
  EXPECT_EQ(ClaimIndexName(ClaimIndex::kParty), "party");
  EXPECT_EQ(ClaimIndexName(ClaimIndex::kState), "state");
  EXPECT_EQ(ClaimIndexName(ClaimIndex::kTopic), "topic");
  EXPECT_EQ(ClaimIndexName(ClaimIndex::kToken), "token");
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
