// RawLedger must decode exactly what LevelDbStorage::Commit encodes, and
// RewriteIndexes must write exactly the index keys Commit writes.
#include "server/storage/inspect.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/storage/claim_index.h"
#include "server/storage/leveldb_storage.h"
#include "tests/server/storage/test_records.h"

namespace claimtrail {
namespace storage {
namespace {

using ::claimtrail::storage::testing::CreateClaimWrite;
using ::claimtrail::storage::testing::MakeEvent;
using ::claimtrail::storage::testing::MakeSource;
using ::claimtrail::storage::testing::TestDbPath;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAreArray;

constexpr RecordType kAllTypes[] = {
    RecordType::kClaim,   RecordType::kEvent,  RecordType::kLog,
    RecordType::kStats,   RecordType::kRequest, RecordType::kSource,
    RecordType::kToken,   RecordType::kIndex};

class InspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TestDbPath();
    LevelDbOptions options;
    options.path = path_;
    auto storage = OpenLevelDbStorage(options);
    ASSERT_TRUE(storage.ok()) << storage.status();

    // A claim whose topic holds the two bytes the index escaping stuffs.
    WriteSet first = CreateClaimWrite("alpha", "Troops were sent", 1);
    first.claims[0].after.add_topics(std::string("nul\0one\x01", 8));
    v1::Stance* stance = first.claims[0].after.add_stances();
    stance->set_party("sources/russia");
    first.sources.push_back(MakeSource("russia", "Russia"));
    RequestRecord request;
    request.set_request_id("req/with:odd\xff bytes");
    request.set_method("CreateClaim");
    first.requests.push_back(request);
    ASSERT_TRUE((*storage)->Commit(first).ok());

    WriteSet second = CreateClaimWrite("beta", "Another claim", 2);
    second.events.push_back(MakeEvent("alpha", 2, 3));
    ClaimWrite alpha;
    alpha.before = first.claims[0].after;
    alpha.after = first.claims[0].after;
    alpha.after.set_revision(2);
    second.claims.push_back(alpha);
    ASSERT_TRUE((*storage)->Commit(second).ok());
    claims_ = {alpha.after, second.claims[0].after};
  }

  std::unique_ptr<RawLedger> OpenRaw() {
    auto raw = RawLedger::Open(path_);
    EXPECT_TRUE(raw.ok()) << raw.status();
    return raw.ok() ? std::move(raw).value() : nullptr;
  }

  std::vector<RawRecord> All(RawLedger& raw, RecordType type) {
    std::vector<RawRecord> records;
    absl::Status status = raw.Scan(
        type,
        [&](const RawRecord& record) {
          records.push_back(record);
          return true;
        },
        [&](absl::string_view key, absl::string_view reason) {
          ADD_FAILURE() << "bad key " << key << ": " << reason;
        });
    EXPECT_TRUE(status.ok()) << status;
    return records;
  }

  std::set<std::string> AllKeys(RawLedger& raw) {
    std::set<std::string> keys;
    for (RecordType type : kAllTypes) {
      for (const RawRecord& record : All(raw, type)) keys.insert(record.key);
    }
    return keys;
  }

  std::string path_;
  std::vector<v1::Claim> claims_;
};

TEST_F(InspectTest, DecodesEveryRecordTypeCommitWrites) {
  auto raw = OpenRaw();
  ASSERT_NE(raw, nullptr);

  std::vector<std::string> claim_ids;
  for (const RawRecord& r : All(*raw, RecordType::kClaim)) {
    claim_ids.push_back(r.id);
  }
  EXPECT_THAT(claim_ids, ElementsAre("alpha", "beta"));

  std::vector<std::pair<std::string, uint64_t>> events;
  for (const RawRecord& r : All(*raw, RecordType::kEvent)) {
    events.emplace_back(r.id, r.number);
  }
  EXPECT_THAT(events, ElementsAre(Pair("alpha", 1), Pair("alpha", 2),
                                  Pair("beta", 1)));

  std::vector<uint64_t> sequences;
  for (const RawRecord& r : All(*raw, RecordType::kLog)) {
    sequences.push_back(r.number);
    LogEntry entry;
    ASSERT_TRUE(entry.ParseFromString(r.value));
  }
  EXPECT_THAT(sequences, ElementsAre(1, 2, 3));

  std::vector<RawRecord> requests = All(*raw, RecordType::kRequest);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].id, "req/with:odd\xff bytes");

  std::vector<RawRecord> sources = All(*raw, RecordType::kSource);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].id, "russia");

  std::vector<RawRecord> stats = All(*raw, RecordType::kStats);
  ASSERT_EQ(stats.size(), 1u);
  StoredStats stored;
  ASSERT_TRUE(stored.ParseFromString(stats[0].value));
  EXPECT_EQ(stored.last_sequence(), 3u);

  // Every index entry decodes to a pair ClaimIndexValues gives for its claim.
  std::set<std::pair<std::string, std::string>> expected;
  for (const v1::Claim& claim : claims_) {
    for (const auto& [index, value] : ClaimIndexValues(claim)) {
      expected.emplace(claim.name().substr(7),
                       absl::StrCat(ClaimIndexName(index), "=", value));
    }
  }
  std::set<std::pair<std::string, std::string>> actual;
  for (const RawRecord& r : All(*raw, RecordType::kIndex)) {
    actual.emplace(r.id, absl::StrCat(ClaimIndexName(r.index), "=",
                                      r.index_value));
  }
  EXPECT_EQ(actual, expected);
  EXPECT_TRUE(actual.count(
      {"alpha", absl::StrCat("topic=", std::string("nul\0one\x01", 8))}));
}

TEST_F(InspectTest, DecodesTokenKeys) {
  auto raw = OpenRaw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->PutRaw("t/admin-1", "").ok());
  std::vector<RawRecord> tokens = All(*raw, RecordType::kToken);
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].id, "admin-1");
  EXPECT_EQ(DescribeKey(tokens[0]), "t/admin-1");
}

TEST_F(InspectTest, RewriteIndexesReproducesCommitsKeysExactly) {
  auto raw = OpenRaw();
  ASSERT_NE(raw, nullptr);
  const std::set<std::string> before = AllKeys(*raw);
  auto counts = raw->RewriteIndexes(claims_);
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->deleted, counts->written);
  EXPECT_EQ(AllKeys(*raw), before);
}

TEST_F(InspectTest, RewriteIndexesDropsStaleAndUndecodableEntries) {
  auto raw = OpenRaw();
  ASSERT_NE(raw, nullptr);
  const std::set<std::string> before = AllKeys(*raw);
  const std::string stale =
      RawLedger::IndexEntryKey(ClaimIndex::kTopic, "gone", "alpha");
  ASSERT_TRUE(raw->PutRaw(stale, "").ok());
  ASSERT_TRUE(raw->PutRaw(std::string("x/nosuchindex/v\0alpha", 21), "").ok());

  std::vector<std::string> bad;
  ASSERT_TRUE(raw->Scan(
                     RecordType::kIndex, [](const RawRecord&) { return true; },
                     [&](absl::string_view key, absl::string_view reason) {
                       bad.push_back(std::string(reason));
                     })
                  .ok());
  EXPECT_THAT(bad, ElementsAre(HasSubstr("unknown index")));

  ASSERT_TRUE(raw->RewriteIndexes(claims_).ok());
  EXPECT_EQ(AllKeys(*raw), before);
}

TEST_F(InspectTest, ReportsKeysOutsideTheGrammar) {
  auto raw = OpenRaw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->PutRaw("zzz", "").ok());
  ASSERT_TRUE(raw->PutRaw(std::string("c\0", 2), "").ok());
  std::vector<std::string> unknown;
  ASSERT_TRUE(raw->ScanUnknownKeys([&](absl::string_view key) {
                    unknown.emplace_back(key);
                  }).ok());
  EXPECT_THAT(unknown, ElementsAre(std::string("c\0", 2), "zzz"));
}

TEST_F(InspectTest, OpenRefusesAMissingOrLockedDatabase) {
  auto missing = RawLedger::Open(TestDbPath("-missing"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound)
      << missing.status();
  auto first = OpenRaw();
  ASSERT_NE(first, nullptr);
  auto second = RawLedger::Open(path_);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition)
      << second.status();
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
