#include "server/storage/leveldb_storage.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "leveldb/db.h"
#include "leveldb/env.h"
#include "server/storage/storage.h"
#include "server/storage/tokenizer.h"
#include "tests/server/storage/test_records.h"

namespace claimtrail {
namespace storage {
namespace {

using ::claimtrail::storage::testing::CreateClaimWrite;
using ::claimtrail::storage::testing::EqualsProto;
using ::claimtrail::storage::testing::MakeClaim;
using ::claimtrail::storage::testing::MakeEvent;
using ::claimtrail::storage::testing::MakeSource;
using ::claimtrail::storage::testing::TestDbPath;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class LevelDbStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = TestDbPath();
    Reopen();
  }

  void Reopen() {
    storage_.reset();  // Releases the LOCK first.
    auto opened = OpenLevelDbStorage(options_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    storage_ = std::move(opened).value();
  }

  // Closes the storage and applies `edit` to the stats record, as another
  // binary would have written it. The caller reopens (or tries to).
  // Closes the storage and edits the database with LevelDB directly, as
  // another binary would have written it. Reopen() afterwards.
  void EditRaw(const std::function<void(leveldb::DB*)>& edit) {
    storage_.reset();
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(
        leveldb::DB::Open(leveldb::Options(), options_.path, &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    edit(db.get());
  }

  void RewriteStoredStats(const std::function<void(StoredStats*)>& edit) {
    EditRaw([&edit](leveldb::DB* db) {
      std::string value;
      ASSERT_TRUE(db->Get(leveldb::ReadOptions(), "m/stats", &value).ok());
      StoredStats stats;
      ASSERT_TRUE(stats.ParseFromString(value));
      edit(&stats);
      ASSERT_TRUE(
          db->Put(leveldb::WriteOptions(), "m/stats", stats.SerializeAsString())
              .ok());
    });
  }

  std::vector<std::string> Scan(std::optional<ClaimIndex> index,
                                absl::string_view value,
                                absl::string_view after = "", int limit = 100) {
    auto ids = storage_->ScanClaims(index, value, after, limit);
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() ? *ids : std::vector<std::string>{};
  }

  LevelDbOptions options_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(LevelDbStorageTest, OpensEmptyAndCreatesParents) {
  options_.path = TestDbPath("/a/b/c");
  Reopen();
  EXPECT_EQ(storage_->LastSequence(), 0u);
  const StorageStats stats = storage_->Stats();
  EXPECT_EQ(stats.claim_count, 0);
  EXPECT_EQ(stats.source_count, 0);
  EXPECT_EQ(stats.last_sequence, 0u);
  EXPECT_TRUE(leveldb::Env::Default()->FileExists(options_.path + "/CURRENT"));
}

TEST_F(LevelDbStorageTest, CommitsAndReadsClaim) {
  WriteSet writes = CreateClaimWrite("troops", "North Korea sent troops", 1);
  ASSERT_TRUE(storage_->Commit(writes).ok());

  auto claim = storage_->ReadClaim("troops");
  ASSERT_TRUE(claim.ok()) << claim.status();
  EXPECT_THAT(*claim, EqualsProto(writes.claims[0].after));
  EXPECT_EQ(storage_->LastSequence(), 1u);
  EXPECT_EQ(storage_->Stats().claim_count, 1);
  EXPECT_GT(storage_->Stats().approximate_bytes, -1);

  EXPECT_EQ(storage_->ReadClaim("absent").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(storage_->ReadClaim("Not/An-Id").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LevelDbStorageTest, ReadsEventsInRevisionOrder) {
  // "ab" is a prefix of "abc": the key grammar must keep their events apart.
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("ab", "first", 1)).ok());
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("abc", "second", 2)).ok());
  uint64_t sequence = 3;
  for (int64_t revision = 2; revision <= 300; ++revision) {
    WriteSet writes;
    writes.events.push_back(MakeEvent("ab", revision, sequence++));
    if (revision % 7 == 0) {
      writes.events.push_back(MakeEvent("abc", revision / 7 + 1, sequence++));
    }
    ASSERT_TRUE(storage_->Commit(writes).ok()) << revision;
  }

  auto events = storage_->ReadEvents("ab", 1, 1000);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 300u);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ((*events)[i].revision(), i + 1);  // Numeric, not text, order.
    EXPECT_EQ((*events)[i].name(), absl::StrCat("claims/ab/events/", i + 1));
  }

  events = storage_->ReadEvents("ab", 255, 3);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].revision(), 255);
  EXPECT_EQ((*events)[2].revision(), 257);
  EXPECT_THAT(*events, ::testing::Each(::testing::Property(&v1::Event::author,
                                                           "users/test")));

  events = storage_->ReadEvents("abc", 0, 1000);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 43u);  // 1 + 300/7.

  events = storage_->ReadEvents("unknown", 1, 10);
  ASSERT_TRUE(events.ok());
  EXPECT_THAT(*events, IsEmpty());
}

TEST_F(LevelDbStorageTest, ReadsGlobalLogInSequenceOrder) {
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("a", "one", 1)).ok());
  WriteSet writes = CreateClaimWrite("b", "two", 2);
  writes.events.push_back(MakeEvent("a", 2, 3));
  ASSERT_TRUE(storage_->Commit(writes).ok());
  EXPECT_EQ(storage_->LastSequence(), 3u);

  auto log = storage_->ReadLog(0, 10);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].sequence, 1u);
  EXPECT_EQ((*log)[0].claim_id, "a");
  EXPECT_EQ((*log)[0].revision, 1);
  EXPECT_EQ((*log)[1].claim_id, "b");
  EXPECT_EQ((*log)[2].sequence, 3u);
  EXPECT_EQ((*log)[2].claim_id, "a");
  EXPECT_EQ((*log)[2].revision, 2);

  log = storage_->ReadLog(1, 1);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].sequence, 2u);

  log = storage_->ReadLog(3, 10);
  ASSERT_TRUE(log.ok());
  EXPECT_THAT(*log, IsEmpty());
}

// Sources are served from memory once read (source_cache.h); a commit that
// changes one is seen by the next read, and a failed commit changes nothing.
TEST_F(LevelDbStorageTest, ReadSourceSeesEveryCommittedChange) {
  WriteSet create;
  create.sources.push_back(MakeSource("nis", "NIS"));
  ASSERT_TRUE(storage_->Commit(create).ok());
  for (int i = 0; i < 3; ++i) {
    auto nis = storage_->ReadSource("nis");
    ASSERT_TRUE(nis.ok()) << nis.status();
    EXPECT_EQ(nis->display_name(), "NIS");
  }
  WriteSet rename;
  rename.sources.push_back(MakeSource("nis", "National Intelligence Service"));
  ASSERT_TRUE(storage_->Commit(rename).ok());
  auto renamed = storage_->ReadSource("nis");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->display_name(), "National Intelligence Service");

  // Refused as a whole (a malformed event name): the source keeps its name.
  WriteSet refused;
  refused.sources.push_back(MakeSource("nis", "never written"));
  refused.events.push_back(MakeEvent("nis", 1, storage_->LastSequence() + 5));
  EXPECT_FALSE(storage_->Commit(refused).ok());
  renamed = storage_->ReadSource("nis");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->display_name(), "National Intelligence Service");
  // And a reopened database agrees.
  Reopen();
  renamed = storage_->ReadSource("nis");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->display_name(), "National Intelligence Service");
}

TEST_F(LevelDbStorageTest, StoresAndScansSources) {
  WriteSet writes;
  for (const char* id : {"nis", "kcna", "yonhap", "reuters"}) {
    writes.sources.push_back(MakeSource(id, absl::StrCat("Source ", id)));
  }
  ASSERT_TRUE(storage_->Commit(writes).ok());
  EXPECT_EQ(storage_->Stats().source_count, 4);

  // Changing a source does not count it again.
  WriteSet update;
  update.sources.push_back(MakeSource("nis", "National Intelligence Service"));
  update.sources.push_back(MakeSource("nis", "National Intelligence Service"));
  update.sources.push_back(MakeSource("ap", "Associated Press"));
  ASSERT_TRUE(storage_->Commit(update).ok());
  EXPECT_EQ(storage_->Stats().source_count, 5);

  auto nis = storage_->ReadSource("nis");
  ASSERT_TRUE(nis.ok()) << nis.status();
  EXPECT_EQ(nis->display_name(), "National Intelligence Service");
  EXPECT_EQ(storage_->ReadSource("cia").status().code(),
            absl::StatusCode::kNotFound);

  auto page = storage_->ScanSources("", 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].name(), "sources/ap");
  EXPECT_EQ((*page)[2].name(), "sources/nis");
  page = storage_->ScanSources("nis", 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].name(), "sources/reuters");
  EXPECT_EQ((*page)[1].name(), "sources/yonhap");
}

TEST_F(LevelDbStorageTest, StoresRequestRecords) {
  WriteSet writes = CreateClaimWrite("a", "one", 1);
  RequestRecord request;
  request.set_request_id("req-1/with any bytes\x01");
  request.set_method("CreateClaim");
  request.set_fingerprint("abc");
  writes.requests.push_back(request);
  ASSERT_TRUE(storage_->Commit(writes).ok());

  auto read = storage_->ReadRequest("req-1/with any bytes\x01");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(*read, EqualsProto(request));
  EXPECT_EQ(storage_->ReadRequest("req-2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(storage_->ReadRequest("req-1").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(LevelDbStorageTest, IndexesFollowClaimChanges) {
  v1::Claim before = MakeClaim("troops", "North Korea sent 10,000 troops");
  before.add_topics("troops");
  auto* hop = before.add_attributions()->add_hops();
  hop->set_source("sources/nis");
  before.add_stances()->set_party("sources/russia");
  WriteSet create;
  create.claims.push_back({std::nullopt, before});
  create.events.push_back(MakeEvent("troops", 1, 1));
  ASSERT_TRUE(storage_->Commit(create).ok());

  EXPECT_THAT(Scan(ClaimIndex::kSource, "sources/nis"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kParty, "sources/russia"),
              ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kState, "CLAIM_STATE_UNVERIFIED"),
              ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "troops"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "10000"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "korea"), ElementsAre("troops"));

  v1::Claim after = before;
  after.set_text("North Korea sent 12,000 soldiers");
  after.set_state(v1::CLAIM_STATE_CONFIRMED);
  after.clear_topics();
  after.add_topics("casualties");
  after.mutable_attributions(0)->mutable_hops(0)->set_source("sources/yonhap");
  auto* figure = after.add_figures();
  figure->set_label("deployed units");
  figure->add_sources()->set_source("sources/kcna");
  after.clear_stances();
  WriteSet update;
  update.claims.push_back({before, after});
  update.events.push_back(MakeEvent("troops", 2, 2));
  ASSERT_TRUE(storage_->Commit(update).ok());

  EXPECT_THAT(Scan(ClaimIndex::kSource, "sources/nis"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kSource, "sources/yonhap"),
              ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kSource, "sources/kcna"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kParty, "sources/russia"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kState, "CLAIM_STATE_UNVERIFIED"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kState, "CLAIM_STATE_CONFIRMED"),
              ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "troops"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "casualties"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "10000"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kToken, "12000"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "korea"), ElementsAre("troops"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "units"), ElementsAre("troops"));
  EXPECT_EQ(storage_->Stats().claim_count, 1);
  auto stored = storage_->ReadClaim("troops");
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(*stored, EqualsProto(after));
}

TEST_F(LevelDbStorageTest, TwoWritesOfOneClaimInOneCommitChain) {
  v1::Claim first = MakeClaim("c", "text");
  first.add_topics("one");
  v1::Claim second = first;
  second.set_topics(0, "two");
  WriteSet writes;
  writes.claims.push_back({std::nullopt, first});
  writes.claims.push_back({first, second});
  writes.events.push_back(MakeEvent("c", 1, 1));
  writes.events.push_back(MakeEvent("c", 2, 2));
  ASSERT_TRUE(storage_->Commit(writes).ok());
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "one"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "two"), ElementsAre("c"));
  EXPECT_EQ(storage_->Stats().claim_count, 1);
}

TEST_F(LevelDbStorageTest, ScanClaimsPaginatesInIdOrder) {
  uint64_t sequence = 1;
  for (const char* id : {"e", "b", "d", "a", "c", "f"}) {
    WriteSet writes = CreateClaimWrite(id, "war", sequence++);
    if (std::string(id) != "f") writes.claims[0].after.add_topics("war");
    ASSERT_TRUE(storage_->Commit(writes).ok());
  }
  EXPECT_THAT(Scan(std::nullopt, "", "", 100),
              ElementsAre("a", "b", "c", "d", "e", "f"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "war", "", 2), ElementsAre("a", "b"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "war", "b", 2), ElementsAre("c", "d"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "war", "d", 2), ElementsAre("e"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "war", "e", 2), IsEmpty());
  // A position between ids works too (the claim may have been deleted from
  // the index since the last page).
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "war", "bb", 2), ElementsAre("c", "d"));
  EXPECT_THAT(Scan(std::nullopt, "", "e", 100), ElementsAre("f"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "war", "c", 100),
              ElementsAre("d", "e", "f"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "peace"), IsEmpty());
}

TEST_F(LevelDbStorageTest, IndexValuesCannotCollide) {
  // Topics are arbitrary UTF-8, even U+0000; value "a" must not see the
  // entries of "a\0b" and vice versa.
  const std::string nul_topic("a\0b", 3);
  WriteSet writes = CreateClaimWrite("one", "x", 1);
  writes.claims[0].after.add_topics("a");
  ASSERT_TRUE(storage_->Commit(writes).ok());
  writes = CreateClaimWrite("two", "x", 2);
  writes.claims[0].after.add_topics(nul_topic);
  ASSERT_TRUE(storage_->Commit(writes).ok());
  writes = CreateClaimWrite("three", "x", 3);
  writes.claims[0].after.add_topics(std::string("a\x01", 2));
  ASSERT_TRUE(storage_->Commit(writes).ok());

  EXPECT_THAT(Scan(ClaimIndex::kTopic, "a"), ElementsAre("one"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, nul_topic), ElementsAre("two"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, std::string("a\x01", 2)),
              ElementsAre("three"));
  EXPECT_THAT(Scan(ClaimIndex::kTopic, std::string("a\0", 2)), IsEmpty());
  // Same value in another index is a different entry.
  EXPECT_THAT(Scan(ClaimIndex::kParty, "a"), IsEmpty());
}

TEST_F(LevelDbStorageTest, SequencesMustContinueTheLog) {
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("a", "one", 1)).ok());

  absl::Status gap = storage_->Commit(CreateClaimWrite("b", "two", 3));
  EXPECT_EQ(gap.code(), absl::StatusCode::kFailedPrecondition) << gap;
  WriteSet inner_gap = CreateClaimWrite("b", "two", 2);
  inner_gap.events.push_back(MakeEvent("a", 2, 4));
  EXPECT_EQ(storage_->Commit(inner_gap).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(storage_->Commit(CreateClaimWrite("b", "two", 1)).code(),
            absl::StatusCode::kFailedPrecondition);

  // Nothing of the refused commits was written, and writing goes on.
  EXPECT_EQ(storage_->ReadClaim("b").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(storage_->LastSequence(), 1u);
  EXPECT_EQ(storage_->Stats().claim_count, 1);
  EXPECT_TRUE(storage_->Commit(CreateClaimWrite("b", "two", 2)).ok());
  EXPECT_EQ(storage_->LastSequence(), 2u);
}

TEST_F(LevelDbStorageTest, EventsAreNeverOverwritten) {
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("a", "one", 1)).ok());
  WriteSet again;
  again.events.push_back(MakeEvent("a", 1, 2));
  EXPECT_EQ(storage_->Commit(again).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(storage_->LastSequence(), 1u);
}

// Storage remembers the revisions it wrote, to skip the existence read of
// a new event (EVENTS ARE NEVER OVERWRITTEN in leveldb_storage.cc); the
// guarantee must not depend on it.
TEST_F(LevelDbStorageTest, EventsAreNeverOverwrittenOnceTheirClaimIsRemembered) {
  // An update of "a": the claim is remembered at revision 2.
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("a", "one", 1)).ok());
  auto update = [](absl::string_view id, int64_t revision, uint64_t sequence) {
    WriteSet writes;
    ClaimWrite claim;
    claim.before = MakeClaim(id, "before");
    claim.after = MakeClaim(id, "after");
    claim.after.set_revision(revision);
    writes.claims.push_back(claim);
    writes.events.push_back(MakeEvent(id, revision, sequence));
    return writes;
  };
  ASSERT_TRUE(storage_->Commit(update("a", 2, 2)).ok());
  for (int64_t revision : {1, 2}) {
    EXPECT_EQ(storage_->Commit(update("a", revision, 3)).code(),
              absl::StatusCode::kFailedPrecondition)
        << revision;
  }
  ASSERT_TRUE(storage_->Commit(update("a", 3, 3)).ok());
  EXPECT_EQ(storage_->Commit(update("a", 3, 4)).code(),
            absl::StatusCode::kFailedPrecondition);

  // "b" has a stored event above the one its update writes (a gap, as in a
  // damaged database): it must not be remembered at the lower revision, or
  // the event above would be overwritten later.
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("b", "two", 4)).ok());
  WriteSet above;
  above.events.push_back(MakeEvent("b", 3, 5));
  ASSERT_TRUE(storage_->Commit(above).ok());
  ASSERT_TRUE(storage_->Commit(update("b", 2, 6)).ok());
  EXPECT_EQ(storage_->Commit(update("b", 3, 7)).code(),
            absl::StatusCode::kFailedPrecondition);

  // A new storage on the same data remembers nothing and still refuses.
  Reopen();
  EXPECT_EQ(storage_->Commit(update("a", 3, 7)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(storage_->LastSequence(), 6u);
  auto events = storage_->ReadEvents("b", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[2].note(), "event 5");  // Not overwritten.
}

TEST_F(LevelDbStorageTest, CreatingAnExistingClaimIsRefused) {
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("a", "one", 1)).ok());
  WriteSet again;
  again.claims.push_back({std::nullopt, MakeClaim("a", "other")});
  EXPECT_EQ(storage_->Commit(again).code(),
            absl::StatusCode::kFailedPrecondition);
  WriteSet twice = CreateClaimWrite("b", "two", 2);
  twice.claims.push_back(twice.claims[0]);
  EXPECT_EQ(storage_->Commit(twice).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(storage_->Stats().claim_count, 1);
  EXPECT_EQ(storage_->LastSequence(), 1u);
}

TEST_F(LevelDbStorageTest, RejectsMalformedNames) {
  WriteSet bad_claim = CreateClaimWrite("Bad_Id", "x", 1);
  EXPECT_EQ(storage_->Commit(bad_claim).code(),
            absl::StatusCode::kInvalidArgument);
  WriteSet bad_event = CreateClaimWrite("good", "x", 1);
  bad_event.events[0].set_name("claims/good/events/2");  // Revision is 1.
  EXPECT_EQ(storage_->Commit(bad_event).code(),
            absl::StatusCode::kInvalidArgument);
  WriteSet bad_source;
  bad_source.sources.push_back(MakeSource("a/b", "x"));
  EXPECT_EQ(storage_->Commit(bad_source).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(storage_->LastSequence(), 0u);
}

TEST_F(LevelDbStorageTest, RewritesEventInPlace) {
  WriteSet writes = CreateClaimWrite("a", "secret", 1);
  *writes.events[0].mutable_claim_created()->mutable_claim() =
      writes.claims[0].after;
  ASSERT_TRUE(storage_->Commit(writes).ok());

  v1::Event redacted = writes.events[0];
  redacted.clear_claim_created();
  redacted.set_redacted(true);
  WriteSet redaction;
  redaction.rewritten_events.push_back(redacted);
  redaction.events.push_back(MakeEvent("a", 2, 2));
  ASSERT_TRUE(storage_->Commit(redaction).ok());

  auto events = storage_->ReadEvents("a", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_TRUE((*events)[0].redacted());
  EXPECT_FALSE((*events)[0].has_claim_created());

  // A rewrite can neither invent an event nor move one in the log.
  WriteSet invent;
  invent.rewritten_events.push_back(MakeEvent("a", 9, 9));
  EXPECT_EQ(storage_->Commit(invent).code(),
            absl::StatusCode::kFailedPrecondition);
  WriteSet move;
  move.rewritten_events.push_back(MakeEvent("a", 1, 2));
  EXPECT_EQ(storage_->Commit(move).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(LevelDbStorageTest, ReopenKeepsEverything) {
  WriteSet writes = CreateClaimWrite("a", "North Korea", 1);
  writes.claims[0].after.add_topics("dprk");
  writes.sources.push_back(MakeSource("nis", "NIS"));
  RequestRecord request;
  request.set_request_id("r1");
  writes.requests.push_back(request);
  ASSERT_TRUE(storage_->Commit(writes).ok());
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("b", "Russia", 2)).ok());

  Reopen();
  EXPECT_EQ(storage_->LastSequence(), 2u);
  const StorageStats stats = storage_->Stats();
  EXPECT_EQ(stats.claim_count, 2);
  EXPECT_EQ(stats.source_count, 1);
  EXPECT_EQ(stats.last_sequence, 2u);
  auto claim = storage_->ReadClaim("a");
  ASSERT_TRUE(claim.ok());
  EXPECT_THAT(*claim, EqualsProto(writes.claims[0].after));
  EXPECT_TRUE(storage_->ReadSource("nis").ok());
  EXPECT_TRUE(storage_->ReadRequest("r1").ok());
  EXPECT_THAT(Scan(ClaimIndex::kTopic, "dprk"), ElementsAre("a"));
  auto log = storage_->ReadLog(0, 10);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->size(), 2u);
  // And the ledger continues where it stopped.
  EXPECT_TRUE(storage_->Commit(CreateClaimWrite("c", "x", 3)).ok());
}

TEST_F(LevelDbStorageTest, SecondOpenOfSameDirectoryIsRefused) {
  auto second = OpenLevelDbStorage(options_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("in use"));
  EXPECT_THAT(std::string(second.status().message()), HasSubstr(options_.path));
}

TEST_F(LevelDbStorageTest, OpenWhileAnotherProcessHoldsTheLockIsRefused) {
  // Within one process LevelDB refuses from its own lock table; a real
  // second server hits the fcntl lock instead. A forked child takes that
  // lock exactly as LevelDB does, using only async-signal-safe calls.
  storage_.reset();
  const std::string lock_path = options_.path + "/LOCK";
  int locked[2], release[2];
  ASSERT_EQ(::pipe(locked), 0);
  ASSERT_EQ(::pipe(release), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0644);
    struct ::flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    char byte = (fd >= 0 && ::fcntl(fd, F_SETLK, &lock) == 0) ? 'y' : 'n';
    ssize_t unused = ::write(locked[1], &byte, 1);
    unused = ::read(release[0], &byte, 1);  // Until the parent is done.
    (void)unused;
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(locked[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');

  auto opened = OpenLevelDbStorage(options_);
  const char done = 'x';
  EXPECT_EQ(::write(release[1], &done, 1), 1);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(opened.status().message()),
              HasSubstr("in use by another process"));
  // The lock went away with the child.
  Reopen();
}

TEST_F(LevelDbStorageTest, UncreatableDirectoryIsPermissionDenied) {
  // Tests may run as root, which ignores mode bits; a regular file in the
  // way stops even root.
  const std::string blocker = TestDbPath("-file");
  ASSERT_TRUE(
      leveldb::WriteStringToFile(leveldb::Env::Default(), "x", blocker).ok());
  LevelDbOptions options;
  options.path = blocker + "/db";
  auto opened = OpenLevelDbStorage(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kPermissionDenied)
      << opened.status();
  EXPECT_THAT(std::string(opened.status().message()), HasSubstr(options.path));
}

TEST_F(LevelDbStorageTest, NewerFormatVersionIsRefused) {
  RewriteStoredStats([](StoredStats* stats) { stats->set_format_version(2); });
  auto opened = OpenLevelDbStorage(options_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition)
      << opened.status();
  EXPECT_THAT(std::string(opened.status().message()),
              HasSubstr("format version 2"));
}

TEST_F(LevelDbStorageTest, VouchesForTheChangesOfEventsItCommitted) {
  // A new database: every event will be committed here.
  EXPECT_EQ(storage_->CompleteChangesFrom(), 1u);
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("a", "x", 1)).ok());
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("b", "y", 2)).ok());
  Reopen();
  EXPECT_EQ(storage_->CompleteChangesFrom(), 1u);

  // Event 2 as committed by an older binary: it carried the fields along
  // without advancing them. Only events after it are vouched for now, also
  // after further commits and reopens.
  RewriteStoredStats([](StoredStats* stats) {
    ASSERT_EQ(stats->complete_changes_from(), 1u);
    ASSERT_EQ(stats->complete_changes_through(), 2u);
    stats->set_complete_changes_through(1);
  });
  Reopen();
  EXPECT_EQ(storage_->CompleteChangesFrom(), 3u);
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("c", "z", 3)).ok());
  EXPECT_EQ(storage_->CompleteChangesFrom(), 3u);
  Reopen();
  EXPECT_EQ(storage_->CompleteChangesFrom(), 3u);

  // A database from before the fields existed: nothing written so far.
  RewriteStoredStats([](StoredStats* stats) {
    stats->clear_complete_changes_from();
    stats->clear_complete_changes_through();
  });
  Reopen();
  EXPECT_EQ(storage_->CompleteChangesFrom(), 4u);
  // Until the next commit records the range, a reopen decides the same.
  Reopen();
  EXPECT_EQ(storage_->CompleteChangesFrom(), 4u);
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("d", "w", 4)).ok());
  Reopen();
  EXPECT_EQ(storage_->CompleteChangesFrom(), 4u);
}

// "x/token/{word}\0{claim_id}", as leveldb_storage.cc writes it (words
// without '\0' or '\1' need no escaping).
std::string TokenEntry(absl::string_view word, absl::string_view claim_id) {
  return absl::StrCat("x/token/", word, absl::string_view("\0", 1), claim_id);
}

TEST_F(LevelDbStorageTest, RebuildsAWordIndexWrittenByAnotherTokenizer) {
  ASSERT_TRUE(
      storage_->Commit(CreateClaimWrite("nk", "Северная Корея", 1)).ok());
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("ru", "Россия", 2)).ok());
  EXPECT_THAT(Scan(ClaimIndex::kToken, "северная"), ElementsAre("nk"));

  // The index as tokenizer version 1 wrote it: words as typed, unfolded.
  EditRaw([](leveldb::DB* db) {
    ASSERT_TRUE(
        db->Delete(leveldb::WriteOptions(), TokenEntry("северная", "nk")).ok());
    ASSERT_TRUE(
        db->Put(leveldb::WriteOptions(), TokenEntry("Северная", "nk"), "")
            .ok());
  });
  RewriteStoredStats([](StoredStats* stats) {
    ASSERT_EQ(stats->word_index_version(), kTokenizerVersion);
    stats->set_word_index_version(1);
  });
  Reopen();
  EXPECT_THAT(Scan(ClaimIndex::kToken, "северная"), ElementsAre("nk"));
  EXPECT_THAT(Scan(ClaimIndex::kToken, "Северная"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kToken, "россия"), ElementsAre("ru"));

  // An entry of a current index is left alone: no rebuild on every open.
  EditRaw([](leveldb::DB* db) {
    ASSERT_TRUE(
        db->Put(leveldb::WriteOptions(), TokenEntry("kept", "nk"), "").ok());
  });
  Reopen();
  EXPECT_THAT(Scan(ClaimIndex::kToken, "kept"), ElementsAre("nk"));

  // An older binary committed since (it keeps the fields as they were, so
  // word_index_through falls behind last_sequence): rebuilt too.
  RewriteStoredStats([](StoredStats* stats) {
    stats->set_word_index_through(stats->last_sequence() - 1);
  });
  Reopen();
  EXPECT_THAT(Scan(ClaimIndex::kToken, "kept"), IsEmpty());
  EXPECT_THAT(Scan(ClaimIndex::kToken, "северная"), ElementsAre("nk"));
  // Commits keep the stamp current.
  ASSERT_TRUE(storage_->Commit(CreateClaimWrite("kr", "Корея", 3)).ok());
  RewriteStoredStats([](StoredStats* stats) {
    EXPECT_EQ(stats->word_index_version(), kTokenizerVersion);
    EXPECT_EQ(stats->word_index_through(), stats->last_sequence());
  });
}

TEST_F(LevelDbStorageTest, CorruptLogIsDataLoss) {
  for (uint64_t sequence = 1; sequence <= 20; ++sequence) {
    ASSERT_TRUE(storage_
                    ->Commit(CreateClaimWrite(absl::StrCat("c", sequence),
                                              std::string(100, 'x'), sequence))
                    .ok());
  }
  storage_.reset();  // Closing does not compact: the records stay in the log.
  std::vector<std::string> children;
  leveldb::Env* env = leveldb::Env::Default();
  ASSERT_TRUE(env->GetChildren(options_.path, &children).ok());
  std::string log_path;
  for (const std::string& child : children) {
    if (absl::EndsWith(child, ".log")) log_path = options_.path + "/" + child;
  }
  ASSERT_FALSE(log_path.empty());
  std::string contents;
  ASSERT_TRUE(leveldb::ReadFileToString(env, log_path, &contents).ok());
  ASSERT_GT(contents.size(), 1000u);
  contents[contents.size() / 2] ^= 0x55;  // Records follow: not a torn tail.
  ASSERT_TRUE(leveldb::WriteStringToFile(env, contents, log_path).ok());

  auto opened = OpenLevelDbStorage(options_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss)
      << opened.status();
  EXPECT_THAT(std::string(opened.status().message()), HasSubstr("fsck"));
}

TEST_F(LevelDbStorageTest, CorruptCurrentFileIsDataLoss) {
  storage_.reset();
  ASSERT_TRUE(leveldb::WriteStringToFile(leveldb::Env::Default(), "garbage",
                                         options_.path + "/CURRENT")
                  .ok());
  auto opened = OpenLevelDbStorage(options_);
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss)
      << opened.status();
}

TEST_F(LevelDbStorageTest, ReadsRunConcurrentlyWithCommits) {
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 2; ++i) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const uint64_t last = storage_->LastSequence();
        auto log = storage_->ReadLog(0, 1000);
        ASSERT_TRUE(log.ok());
        // The log never has holes and never lags what was acknowledged.
        ASSERT_GE(log->size(), last);
        for (size_t j = 0; j < log->size(); ++j) {
          ASSERT_EQ((*log)[j].sequence, j + 1);
        }
        storage_->Stats();
      }
    });
  }
  for (uint64_t sequence = 1; sequence <= 100; ++sequence) {
    ASSERT_TRUE(storage_
                    ->Commit(CreateClaimWrite(absl::StrCat("c", sequence), "x",
                                              sequence))
                    .ok());
  }
  done = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(storage_->Stats().claim_count, 100);
}

}  // namespace
}  // namespace storage
}  // namespace claimtrail
