// LoadAuditInput over a real LevelDB in $TEST_TMPDIR: the report built from
// storage equals the one built from the same data in memory.
#include "server/core/report/audit_input.h"

#include <cstdlib>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/core/report/audit.h"
#include "server/storage/leveldb_storage.h"
#include "tests/server/core/report/audit_dataset.h"

namespace claimtrail {
namespace report {
namespace {

using ::google::protobuf::util::MessageDifferencer;

class AuditInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    storage::LevelDbOptions options;
    options.path = std::string(tmp == nullptr ? "/tmp" : tmp) + "/" +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name();
    absl::StatusOr<std::unique_ptr<storage::Storage>> opened =
        storage::OpenLevelDbStorage(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    storage_ = *std::move(opened);
    testing_data::CommitDataset(testing_data::AuditDataset(), *storage_);
  }

  v1::AuditReport Report(const AuditInput& input,
                         const v1::ClaimSelection& selection) {
    v1::AuditReportRequest req;
    *req.mutable_selection() = selection;
    req.set_format(v1::REPORT_FORMAT_MARKDOWN);
    absl::StatusOr<v1::AuditReport> report = BuildAuditReport(input, req);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::AuditReport();
  }

  std::unique_ptr<storage::Storage> storage_;
};

TEST_F(AuditInputTest, LoadedReportEqualsInMemoryReport) {
  const AuditInput memory = testing_data::AuditDataset();
  for (const char* source : {"", "sources/nis", "sources/reuters"}) {
    v1::ClaimSelection selection;
    selection.set_source(source);
    absl::StatusOr<AuditInput> loaded =
        LoadAuditInput(*storage_, selection, memory.now);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->sources.size(), memory.sources.size());
    const v1::AuditReport from_storage = Report(*loaded, selection);
    const v1::AuditReport from_memory = Report(memory, selection);
    EXPECT_GT(from_storage.claims_size(), 0);
    std::string diff;
    MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&diff);
    EXPECT_TRUE(differencer.Compare(from_memory, from_storage))
        << "source=" << source << "\n" << diff;
  }
}

TEST_F(AuditInputTest, SourceSelectionReadsOnlyIndexedClaims) {
  v1::ClaimSelection selection;
  selection.set_source("sources/nis");
  absl::StatusOr<AuditInput> loaded =
      LoadAuditInput(*storage_, selection, absl::Now());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->histories.size(), 2);
}

TEST_F(AuditInputTest, NamedClaims) {
  v1::ClaimSelection selection;
  selection.add_claims("claims/claim-b");
  selection.add_claims("claims/absent");
  absl::StatusOr<AuditInput> loaded =
      LoadAuditInput(*storage_, selection, absl::Now());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->histories.size(), 1);
  EXPECT_EQ(loaded->histories[0].size(), 3);

  selection.set_claims(1, "bad name");
  loaded = LoadAuditInput(*storage_, selection, absl::Now());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(loaded.status().message()),
              ::testing::StartsWith("selection.claims[1]"));
}

}  // namespace
}  // namespace report
}  // namespace claimtrail
