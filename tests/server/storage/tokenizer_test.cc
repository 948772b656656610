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

TEST(TokenizerTest, KeepsWordsOfEveryScript) {
  EXPECT_THAT(Tokenize("Курск и Пхеньян"), ElementsAre("курск", "пхеньян"));
  // One CJK character is one code point (three bytes): dropped like "x".
  EXPECT_THAT(Tokenize("北 朝鮮"), ElementsAre("朝鮮"));
  EXPECT_THAT(Tokenize("café-owner"), ElementsAre("café", "owner"));
  EXPECT_THAT(Tokenize("러시아에 파병"), ElementsAre("러시아에", "파병"));
}

TEST(TokenizerTest, FoldsCaseWidthAndCompositionInEveryScript) {
  EXPECT_EQ(Tokenize("Северная Корея"), Tokenize("СЕВЕРНАЯ корея"));
  EXPECT_THAT(Tokenize("ΕΛΛΆΔΑ"), ElementsAre("ελλάδα"));
  EXPECT_EQ(Tokenize("STRASSE"), Tokenize("Straße"));
  EXPECT_THAT(Tokenize("ＮＩＳ"), ElementsAre("nis"));
  // Precomposed U+00E9 and "e" + combining acute U+0301 are one word.
  EXPECT_EQ(Tokenize("caf\u00e9"), Tokenize("cafe\u0301"));
  EXPECT_THAT(Tokenize("ÉCOLE"), ElementsAre("école"));
}

TEST(TokenizerTest, NonAsciiPunctuationSeparatesWords) {
  // Typographic apostrophe, em dash, guillemets, CJK full stop.
  EXPECT_EQ(Tokenize("Korea\u2019s troops\u2014Kursk \u00abreported\u00bb"),
            Tokenize("Korea's troops - Kursk \"reported\""));
  EXPECT_THAT(Tokenize("朝鮮。派兵"), ElementsAre("朝鮮", "派兵"));
  // Invalid UTF-8 separates too.
  EXPECT_THAT(Tokenize("troops\xffsent"), ElementsAre("troops", "sent"));
}

TEST(TokenizerTest, FoldCaseFoldsWholeNames) {
  EXPECT_EQ(FoldCase("Министерство Обороны"), FoldCase("министерство обороны"));
  EXPECT_EQ(FoldCase("South Korea's NIS"), "south korea's nis");
  EXPECT_NE(FoldCase("NIS"), FoldCase("NSA"));
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
