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
