#include "server/core/report/csv.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace claimtrail {
namespace report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, QuotesOnlyWhatNeedsIt) {
  std::string out;
  AppendCsvRecord({"plain", "a,b", "say \"hi\"", "two\nlines", " pad", ""},
                  &out);
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" pad\",\r\n");
}

TEST(CsvTest, RoundTrips) {
  const std::vector<std::string> fields = {"x", "a,b", "q\"q", "l1\r\nl2", ""};
  std::string out;
  AppendCsvRecord(fields, &out);
  AppendCsvRecord({"second"}, &out);
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(out);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2);
  EXPECT_EQ((*records)[0].fields, fields);
  EXPECT_EQ((*records)[0].line, 1);
  // The first record spans two lines.
  EXPECT_EQ((*records)[1].line, 3);
  EXPECT_THAT((*records)[1].fields, ElementsAre("second"));
}

TEST(CsvTest, GuardsCellsThatStartLikeAFormula) {
  std::string out;
  AppendCsvRecord(
      {"=1+2", "+x", "-5 degrees", "@SUM(A1)", "\tx", "\rx", "-", "a=b"}, &out);
  EXPECT_EQ(out,
            "\"'=1+2\",\"'+x\",\"'-5 degrees\",\"'@SUM(A1)\",\"'\tx\","
            "\"'\rx\",\"'-\",a=b\r\n");
  // Plain numbers cannot be formulas and stay numbers.
  out.clear();
  AppendCsvRecord({"-5", "+3", "-2.75", "-2.", "-1e5"}, &out);
  EXPECT_EQ(out, "-5,+3,-2.75,\"'-2.\",\"'-1e5\"\r\n");
  // A quote already in front of a formula start gets one more.
  out.clear();
  AppendCsvRecord({"'-5", "''=x", "'plain"}, &out);
  EXPECT_EQ(out, "\"''-5\",\"'''=x\",'plain\r\n");
}

TEST(CsvTest, RestoringTheGuardGivesEveryFieldBack) {
  const std::vector<std::string> fields = {"=HYPERLINK(\"http://x\")",
                                           "+1",
                                           "-5 degrees",
                                           "@a",
                                           "\tx",
                                           "\r\nx",
                                           "-5",
                                           "'-5",
                                           "''=x",
                                           "'plain",
                                           "'",
                                           "",
                                           "plain",
                                           "a-b"};
  std::string out;
  AppendCsvRecord(fields, &out);
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(out);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1);
  std::vector<std::string> restored;
  for (const std::string& field : (*records)[0].fields) {
    // What a spreadsheet sees: no cell starts a formula (numbers aside).
    if (field != "-5" && field != "+1") {
      EXPECT_TRUE(field.empty() ||
                  std::string("=+-@\t\r").find(field[0]) == std::string::npos)
          << field;
    }
    restored.push_back(RestoreCsvFormulaField(field));
  }
  EXPECT_EQ(restored, fields);
}

TEST(CsvTest, SkipsBomAndBlankLinesAndAcceptsLf) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv("\xEF\xBB\xBFh1,h2\n\na,b\nc,\"d\"");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3);
  EXPECT_THAT((*records)[0].fields, ElementsAre("h1", "h2"));
  EXPECT_EQ((*records)[1].line, 3);
  EXPECT_THAT((*records)[2].fields, ElementsAre("c", "d"));
  EXPECT_EQ((*records)[2].line, 4);
}

TEST(CsvTest, ReportsMalformedQuotingWithTheLine) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv("a,b\nc,d\"e\n");
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(records.status().message(), HasSubstr("line 2"));

  records = ParseCsv("a\n\"open,\nx\n");
  EXPECT_THAT(records.status().message(), HasSubstr("line 2"));
  EXPECT_THAT(records.status().message(), HasSubstr("not closed"));

  records = ParseCsv("\"a\"b\n");
  EXPECT_THAT(records.status().message(), HasSubstr("after a closing quote"));
}

}  // namespace
}  // namespace report
}  // namespace claimtrail
