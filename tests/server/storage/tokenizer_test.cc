#include "server/storage/tokenizer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace storage {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TokenizerTest, LowercasesAndSplitsOnPunctuation) {
  EXPECT_THAT(Tokenize("North Korea's troops: KURSK-region!"),
              ElementsAre("north", "korea", "troops", "kursk", "region"));
}

TEST(TokenizerTest, DropsStopWordsAndSingleCharacters) {
  EXPECT_THAT(Tokenize("The troops of a country x in it"),
              ElementsAre("troops", "country"));
}

TEST(TokenizerTest, KeepsNegations) {
  EXPECT_THAT(Tokenize("did not confirm, no comment"),
              ElementsAre("did", "not", "confirm", "no", "comment"));
}

TEST(TokenizerTest, NormalizesNumbers) {
  EXPECT_THAT(Tokenize("over 10,000 soldiers, 3.5 percent, 1,2"),
              ElementsAre("over", "10000", "soldiers", "3.5", "percent", "12"));
  // Separators not between digits still split.
  EXPECT_THAT(Tokenize("troops, 12. then 7,"),
              ElementsAre("troops", "12", "then"));
  EXPECT_THAT(Tokenize("2024"), ElementsAre("2024"));
}

TEST(TokenizerTest, KeepsUtf8Words) {
  EXPECT_THAT(Tokenize("Курск и Пхеньян"), ElementsAre("Курск", "Пхеньян"));
  // One CJK character is one code point (three bytes): dropped like "x".
  EXPECT_THAT(Tokenize("北 朝鮮"), ElementsAre("朝鮮"));
  EXPECT_THAT(Tokenize("café-owner"), ElementsAre("café", "owner"));
}

TEST(TokenizerTest, DedupesKeepingFirstOccurrenceOrder) {
  EXPECT_THAT(Tokenize("Troops troops TROOPS sent, troops"),
              ElementsAre("troops", "sent"));
}

TEST(TokenizerTest, EmptyAndSeparatorOnlyInput) {
  EXPECT_THAT(Tokenize(""), IsEmpty());
  EXPECT_THAT(Tokenize(" ,.;-- !"), IsEmpty());
  EXPECT_THAT(Tokenize(absl::string_view("a\0b", 3)), IsEmpty());
}

TEST(TokenizerTest, QueryAndTextAgree) {
  // Search tokenizes queries with the same function; formatting of numbers
  // and case must not matter.
  EXPECT_EQ(Tokenize("10,000 Troops"), Tokenize("10000 troops"));
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
