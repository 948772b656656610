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
