// UTF-8 checks of the CLI's arguments and the escaping of control
// characters in its human-readable output.
#include <string>

#include "client/cli/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace cli {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("North Korea"));
  EXPECT_TRUE(IsValidUtf8("Pyongyang \xed\x8f\x89\xec\x96\x91"));  // 평양
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x93\xb0"));
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF, the last one
  EXPECT_TRUE(IsValidUtf8(std::string("nul\0inside", 10)));
}

TEST(Utf8Test, RejectsMalformedTextAtTheFirstBadByte) {
  EXPECT_EQ(Utf8ValidPrefix("bad \xff"), 4u);
  EXPECT_EQ(Utf8ValidPrefix("ab\xc3"), 2u);            // truncated
  EXPECT_EQ(Utf8ValidPrefix("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(Utf8ValidPrefix("\xe0\x80\xaf"), 0u);      // overlong
  EXPECT_EQ(Utf8ValidPrefix("x\xed\xa0\x80"), 1u);     // surrogate D800
  EXPECT_EQ(Utf8ValidPrefix("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(Utf8ValidPrefix("\xe2\x82x"), 0u);         // bad continuation
  EXPECT_EQ(Utf8ValidPrefix("\x80"), 0u);              // lone continuation
  EXPECT_FALSE(IsValidUtf8("bad \xff"));
}

TEST(EscapeControlsTest, ShowsTerminalControlsAsEscapes) {
  EXPECT_EQ(EscapeControls("a\x1b[31mred\x1b[0m\x07"),
            "a\\x1b[31mred\\x1b[0m\\x07");
  EXPECT_EQ(EscapeControls("cr\rdel\x7f"), "cr\\x0ddel\\x7f");
  // C1 controls are code points U+0080..U+009F (CSI is U+009B).
  EXPECT_EQ(EscapeControls("csi\xc2\x9b"
                           "31m"),
            "csi\\u009b31m");
  EXPECT_EQ(EscapeControls(std::string("nul\0", 4)), "nul\\x00");
  // Bytes that are not UTF-8 cannot sneak a raw 0x9b through either.
  EXPECT_EQ(EscapeControls("raw\x9b"), "raw\\x9b");
}

TEST(EscapeControlsTest, KeepsTextTabsAndNewlines) {
  const std::string text =
      "line one\n\tcaf\xc3\xa9 \xe2\x80\x94 \xed\x8f\x89\xec\x96\x91 \\x1b";
  EXPECT_EQ(EscapeControls(text), text);
  EXPECT_EQ(EscapeControls("u\xc2\xa0v"), "u\xc2\xa0v");  // U+00A0 is text
}

TEST(EscapeControlsTest, OneLineShowsNewlines) {
  EXPECT_EQ(EscapeControls("one\ntwo\tthree\r\n", /*one_line=*/true),
            "one\\ntwo\tthree\\x0d\\n");
}

}  // namespace
}  // namespace cli
}  // namespace claimtrail
