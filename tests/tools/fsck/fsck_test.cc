// claimtrail_fsck's checker over a real ledger: a history written through the
// Ledger (every mutation kind) is clean; each kind of damage, made by hand
// with RawLedger, is reported under the right check (stored changes that are
// not the diff of the fold included); --rebuild_indexes repairs index damage. The binary's exit codes are checked too.
#include "tools/fsck/checker.h"

#include <sys/wait.h>

#include <cstdlib>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "server/core/ledger.h"
#include "server/storage/inspect.h"
#include "server/storage/leveldb_storage.h"
#include "server/storage/records.pb.h"
#include "server/storage/token_records.pb.h"

namespace claimtrail {
namespace fsck {
namespace {

using storage::RawLedger;
using storage::RawRecord;
using storage::RecordType;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

const core::Principal kAlice{"users/alice"};

template <typename Message>
Message Text(const std::string& text) {
  Message message;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &message))
      << text;
  return message;
}

int next_request_id = 0;

template <typename Request, typename Response>
Response MustCall(core::Ledger& ledger,
                  void (core::Ledger::*method)(const core::Principal&,
                                               const Request&,
                                               core::Done<Response>),
                  Request request) {
  request.set_request_id(absl::StrCat("req-", ++next_request_id));
  std::promise<absl::StatusOr<Response>> promise;
  (ledger.*method)(kAlice, request, [&](absl::StatusOr<Response> response) {
    promise.set_value(std::move(response));
  });
  absl::StatusOr<Response> response = promise.get_future().get();
  EXPECT_TRUE(response.ok()) << response.status();
  return response.value_or(Response());
}

std::string DataDir() {
  const ::testing::TestInfo* info =
      ::testing::UnitTest::GetInstance()->current_test_info();
  return absl::StrCat(std::getenv("TEST_TMPDIR"), "/", info->name());
}

// Writes a history that uses every mutation, through the real Ledger.
void WriteHistory(const std::string& dir) {
  storage::LevelDbOptions options;
  options.path = dir;
  auto storage = storage::OpenLevelDbStorage(options);
  ASSERT_TRUE(storage.ok()) << storage.status();
  core::LedgerOptions ledger_options;
  ledger_options.storage = std::move(storage).value();
  auto opened = core::Ledger::Open(std::move(ledger_options));
  ASSERT_TRUE(opened.ok()) << opened.status();
  core::Ledger& ledger = **opened;
  using L = core::Ledger;

  for (const char* id : {"nis", "russia", "north-korea", "kcna"}) {
    MustCall(ledger, &L::CreateSource,
             Text<v1::CreateSourceRequest>(absl::StrCat(
                 "source_id: '", id, "' source { display_name: '", id,
                 "' kind: SOURCE_KIND_GOVERNMENT }")));
  }
  MustCall(ledger, &L::UpdateSource, Text<v1::UpdateSourceRequest>(R"pb(
             source { name: "sources/kcna" affiliation: "sources/north-korea" }
             update_mask { paths: "affiliation" })pb"));
  MustCall(ledger, &L::CreateClaim, Text<v1::CreateClaimRequest>(R"pb(
             claim_id: "troops"
             claim {
               text: "North Korea has sent troops to Russia."
               topics: "north-korea"
               figures {
                 figure_id: "troops"
                 label: "soldiers sent"
                 lower_bound: 10000
                 unit: "soldiers"
                 qualifier: FIGURE_QUALIFIER_OVER
               }
               attributions { hops { source: "sources/nis" verb: ATTRIBUTION_VERB_CONFIRMED } }
               stances { party: "sources/russia" position: STANCE_POSITION_NOT_CONFIRMED }
               appearances { url: "https://example.org/a" }
             })pb"));
  MustCall(ledger, &L::CreateClaim, Text<v1::CreateClaimRequest>(R"pb(
             claim_id: "dup" claim { text: "NK troops are in Russia." })pb"));
  MustCall(ledger, &L::CreateClaim, Text<v1::CreateClaimRequest>(R"pb(
             claim_id: "other" claim { text: "Another claim entirely." })pb"));
  MustCall(ledger, &L::UpdateClaim, Text<v1::UpdateClaimRequest>(R"pb(
             claim { name: "claims/other" topics: "misc" }
             update_mask { paths: "topics" })pb"));
  MustCall(ledger, &L::RecordStance, Text<v1::RecordStanceRequest>(R"pb(
             claim: "claims/troops"
             stance { party: "sources/north-korea" position: STANCE_POSITION_DENIED })pb"));
  MustCall(ledger, &L::ReviseFigure, Text<v1::ReviseFigureRequest>(R"pb(
             claim: "claims/troops"
             figure { figure_id: "troops" amount: 12000 qualifier: FIGURE_QUALIFIER_ABOUT })pb"));
  MustCall(ledger, &L::RecordVerdict, Text<v1::RecordVerdictRequest>(R"pb(
             claim: "claims/other" verdict { rating: VERDICT_RATING_FALSE })pb"));
  MustCall(ledger, &L::AddAppearance, Text<v1::AddAppearanceRequest>(R"pb(
             claim: "claims/troops" appearance { url: "https://example.org/b" })pb"));
  MustCall(ledger, &L::AddAttribution, Text<v1::AddAttributionRequest>(R"pb(
             claim: "claims/troops"
             attribution { hops { source: "sources/kcna" verb: ATTRIBUTION_VERB_SAID } })pb"));
  MustCall(ledger, &L::LinkClaims, Text<v1::LinkClaimsRequest>(R"pb(
             claim: "claims/other"
             relation { type: RELATION_TYPE_CONTRADICTS target: "claims/troops" })pb"));
  MustCall(ledger, &L::MergeClaims, Text<v1::MergeClaimsRequest>(R"pb(
             claim: "claims/dup" into: "claims/troops")pb"));
  MustCall(ledger, &L::RedactEvent, Text<v1::RedactEventRequest>(R"pb(
             name: "claims/troops/events/4" reason: "wrong party")pb"));
  MustCall(ledger, &L::RetractClaim, Text<v1::RetractClaimRequest>(R"pb(
             claim: "claims/other" reason: "withdrawn")pb"));
}

class FsckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = DataDir();
    WriteHistory(dir_);
    OpenRaw();
  }

  void OpenRaw() {
    auto raw = RawLedger::Open(dir_);
    ASSERT_TRUE(raw.ok()) << raw.status();
    raw_ = std::move(raw).value();
  }

  Report Check() {
    absl::StatusOr<Report> report = CheckLedger(*raw_);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.value_or(Report());
  }

  // The first record of `type` that `match` accepts.
  RawRecord Find(RecordType type,
                 const std::function<bool(const RawRecord&)>& match) {
    std::optional<RawRecord> found;
    EXPECT_TRUE(raw_->Scan(type, [&](const RawRecord& record) {
                       if (!match(record)) return true;
                       found = record;
                       return false;
                     }).ok());
    EXPECT_TRUE(found.has_value());
    return found.value_or(RawRecord());
  }

  void Put(const RawRecord& record, const google::protobuf::Message& value) {
    ASSERT_TRUE(raw_->PutRaw(record.key, value.SerializeAsString()).ok());
  }

  // Rewrites the stats record with `edit` applied.
  void EditStats(const std::function<void(storage::StoredStats*)>& edit) {
    const RawRecord record =
        Find(RecordType::kStats, [](const RawRecord&) { return true; });
    storage::StoredStats stats;
    ASSERT_TRUE(stats.ParseFromString(record.value));
    edit(&stats);
    Put(record, stats);
  }

  // Clears every event's stored changes; returns how many had some.
  int StripStoredChanges() {
    std::vector<RawRecord> events;
    EXPECT_TRUE(raw_->Scan(RecordType::kEvent,
                           [&](const RawRecord& record) {
                             events.push_back(record);
                             return true;
                           })
                    .ok());
    int stripped = 0;
    for (const RawRecord& record : events) {
      v1::Event event;
      EXPECT_TRUE(event.ParseFromString(record.value));
      stripped += event.changes_size() > 0;
      event.clear_changes();
      Put(record, event);
    }
    return stripped;
  }

  std::string dir_;
  std::unique_ptr<RawLedger> raw_;
};

MATCHER_P2(ProblemOf, check, detail, "") {
  return arg.check == check && absl::StrContains(arg.detail, detail);
}

TEST_F(FsckTest, HistoryWrittenByTheLedgerIsClean) {
  const Report report = Check();
  EXPECT_TRUE(report.clean()) << FormatReport(report);
  EXPECT_EQ(report.claims, 3);
  EXPECT_EQ(report.sources, 4);
  EXPECT_EQ(report.last_sequence, static_cast<uint64_t>(report.events));
  EXPECT_EQ(report.log_entries, report.events);
  EXPECT_EQ(report.requests, 18);
  EXPECT_EQ(report.events, 15);
  EXPECT_GT(report.index_entries, 10);
  EXPECT_THAT(FormatReport(report), HasSubstr(": clean\n"));
}

TEST_F(FsckTest, ReportsAGapInTheGlobalLog) {
  const RawRecord entry =
      Find(RecordType::kLog, [](const RawRecord& r) { return r.number == 3; });
  ASSERT_TRUE(raw_->DeleteRaw(entry.key).ok());
  const Report report = Check();
  EXPECT_THAT(report.problems, Contains(ProblemOf("log", "sequences 3..3 are missing")));
  EXPECT_THAT(report.problems, Contains(ProblemOf("log", "has no log entry g/3")));
}

TEST_F(FsckTest, ReportsALogEntryPointingAtTheWrongEvent) {
  const RawRecord entry =
      Find(RecordType::kLog, [](const RawRecord& r) { return r.number == 5; });
  storage::LogEntry wrong;
  wrong.set_claim_id("troops");
  wrong.set_revision(1);
  Put(entry, wrong);
  EXPECT_THAT(Check().problems,
              Contains(ProblemOf("log", "but the event with this sequence")));
}

TEST_F(FsckTest, ReportsAMissingEvent) {
  const RawRecord event = Find(RecordType::kEvent, [](const RawRecord& r) {
    return r.id == "troops" && r.number == 2;
  });
  ASSERT_TRUE(raw_->DeleteRaw(event.key).ok());
  const Report report = Check();
  EXPECT_THAT(report.problems,
              Contains(ProblemOf("history", "revision 2 is missing")));
  EXPECT_THAT(report.problems,
              Contains(ProblemOf("log", "no event has this sequence")));
}

TEST_F(FsckTest, ReportsMaterializedStateThatIsNotTheFold) {
  const RawRecord record = Find(RecordType::kClaim, [](const RawRecord& r) {
    return r.id == "troops";
  });
  v1::Claim claim;
  ASSERT_TRUE(claim.ParseFromString(record.value));
  claim.mutable_figures(0)->set_amount(99);  // Not what the events say.
  Put(record, claim);
  const Report report = Check();
  EXPECT_THAT(report.problems,
              Contains(AllOf(ProblemOf("fold", "differs from the fold"),
                             Field(&Problem::where, "claims/troops"))));
  EXPECT_THAT(report.problems,
              Contains(Field(&Problem::detail, HasSubstr("amount"))));
}

TEST_F(FsckTest, ReportsEventsThatDoNotFold) {
  const RawRecord record = Find(RecordType::kEvent, [](const RawRecord& r) {
    return r.id == "other" && r.number == 2;
  });
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(record.value));
  event.set_kind(v1::EVENT_KIND_RETRACTED);  // Does not match the payload.
  Put(record, event);
  EXPECT_THAT(Check().problems,
              Contains(ProblemOf("fold", "events do not fold")));
}

TEST_F(FsckTest, ReportsStoredChangesThatAreNotTheDiffOfTheFold) {
  const RawRecord record = Find(RecordType::kEvent, [](const RawRecord& r) {
    return r.id == "troops" && r.number == 2;
  });
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(record.value));
  ASSERT_GT(event.changes_size(), 0) << "events store their changes";
  event.mutable_changes(0)->set_after("tampered");
  Put(record, event);
  const Report report = Check();
  EXPECT_EQ(report.Count("changes"), 1) << FormatReport(report);
  EXPECT_THAT(report.problems,
              Contains(AllOf(ProblemOf("changes", "-> tampered\""),
                             Field(&Problem::where,
                                   "claims/troops/events/2"))));
  EXPECT_EQ(report.Count("fold"), 0) << "the fold does not read changes";
}

TEST_F(FsckTest, ReportsChangesKeptOnARedactedEvent) {
  // WriteHistory redacted it; its changes would show the removed payload.
  const RawRecord record = Find(RecordType::kEvent, [](const RawRecord& r) {
    return r.id == "troops" && r.number == 4;
  });
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(record.value));
  ASSERT_TRUE(event.redacted());
  EXPECT_EQ(event.changes_size(), 0);
  v1::FieldChange* leaked = event.add_changes();
  leaked->set_path("stances[sources/north-korea]");
  leaked->set_after("denied");
  Put(record, event);
  EXPECT_THAT(Check().problems,
              Contains(AllOf(ProblemOf("changes", "recomputed 0"),
                             Field(&Problem::where,
                                   "claims/troops/events/4"))));
}

TEST_F(FsckTest, EventsWithoutStoredChangesAreCleanInAnOlderDatabase) {
  // As written before events stored their changes: the stats vouch for no
  // event's changes.
  EXPECT_GT(StripStoredChanges(), 10);
  EditStats([](storage::StoredStats* stats) {
    ASSERT_GT(stats->complete_changes_from(), 0u);
    stats->clear_complete_changes_from();
    stats->clear_complete_changes_through();
  });
  const Report report = Check();
  EXPECT_TRUE(report.clean()) << FormatReport(report);
}

TEST_F(FsckTest, ReportsVouchedForEventsPastTheLastSequence) {
  EditStats([](storage::StoredStats* stats) {
    ASSERT_EQ(stats->complete_changes_through(), stats->last_sequence());
    stats->set_complete_changes_through(stats->last_sequence() + 5);
  });
  const Report report = Check();
  EXPECT_EQ(report.Count("stats"), 1) << FormatReport(report);
  EXPECT_THAT(report.problems,
              Contains(ProblemOf("stats", "past last_sequence")));
}

TEST_F(FsckTest, ReportsMissingChangesWhereTheStatsVouchForThem) {
  // A timeline would show these events as having changed nothing.
  const int stripped = StripStoredChanges();
  EXPECT_GT(stripped, 10);
  const Report report = Check();
  EXPECT_EQ(report.Count("changes"), stripped) << FormatReport(report);
  EXPECT_THAT(report.problems,
              Contains(ProblemOf("changes", "stored 0 change(s)")));
}

TEST_F(FsckTest, ReportsStaleMissingAndDanglingIndexEntriesAndRebuildsThem) {
  const RawRecord entry = Find(RecordType::kIndex, [](const RawRecord& r) {
    return r.index == storage::ClaimIndex::kState && r.id == "troops";
  });
  ASSERT_TRUE(raw_->DeleteRaw(entry.key).ok());
  ASSERT_TRUE(raw_->PutRaw(RawLedger::IndexEntryKey(
                               storage::ClaimIndex::kTopic, "stale", "troops"),
                           "")
                  .ok());
  ASSERT_TRUE(raw_->PutRaw(RawLedger::IndexEntryKey(
                               storage::ClaimIndex::kTopic, "x", "ghost"),
                           "")
                  .ok());
  const Report report = Check();
  EXPECT_EQ(report.Count("index"), 3) << FormatReport(report);
  EXPECT_THAT(report.problems, Contains(ProblemOf("index", "missing index entry")));
  EXPECT_THAT(report.problems, Contains(ProblemOf("index", "stale")));
  EXPECT_THAT(report.problems, Contains(ProblemOf("index", "does not exist")));

  auto rebuilt = RebuildIndexes(*raw_);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  const Report after = Check();
  EXPECT_TRUE(after.clean()) << FormatReport(after);
  EXPECT_EQ(after.index_entries, rebuilt->written);
}

TEST_F(FsckTest, ReportsStatsThatDisagreeWithTheRecords) {
  EditStats([](storage::StoredStats* stats) {
    stats->set_claim_count(stats->claim_count() + 1);
    stats->set_last_sequence(stats->last_sequence() - 1);
  });
  const Report report = Check();
  EXPECT_THAT(report.problems, Contains(ProblemOf("stats", "claim_count is 4")));
  EXPECT_THAT(report.problems, Contains(ProblemOf("stats", "but the log ends at")));
}

TEST_F(FsckTest, ReportsBadRequestRecords) {
  const RawRecord record =
      Find(RecordType::kRequest, [](const RawRecord&) { return true; });
  storage::RequestRecord request;
  ASSERT_TRUE(request.ParseFromString(record.value));
  request.set_response("\xff\xff\xff");
  Put(record, request);
  ASSERT_TRUE(raw_->PutRaw("r/garbage", "\xff\xff").ok());
  const Report report = Check();
  EXPECT_THAT(report.problems, Contains(ProblemOf("request", "response does not parse")));
  EXPECT_THAT(report.problems,
              Contains(AllOf(ProblemOf("record", "does not parse"),
                             Field(&Problem::where, "r/garbage"))));
}

TEST_F(FsckTest, ReportsUnparseableRecordsAndUnknownKeys) {
  const RawRecord record = Find(RecordType::kClaim, [](const RawRecord& r) {
    return r.id == "dup";
  });
  ASSERT_TRUE(raw_->PutRaw(record.key, "\xff\xff not a claim").ok());
  ASSERT_TRUE(raw_->PutRaw("q/unknown", "").ok());
  ASSERT_TRUE(raw_->PutRaw("c/Bad_Id", "").ok());
  const Report report = Check();
  EXPECT_THAT(report.problems,
              Contains(AllOf(ProblemOf("record", "does not parse as claimtrail.v1.Claim"),
                             Field(&Problem::where, "c/dup"))));
  EXPECT_THAT(report.problems, Contains(ProblemOf("record", "outside the key grammar")));
  EXPECT_THAT(report.problems, Contains(ProblemOf("record", "key does not decode")));
}

TEST_F(FsckTest, ReportsOrphanEventsAndAMissingAffiliation) {
  const RawRecord claim = Find(RecordType::kClaim, [](const RawRecord& r) {
    return r.id == "other";
  });
  ASSERT_TRUE(raw_->DeleteRaw(claim.key).ok());
  const RawRecord source = Find(RecordType::kSource, [](const RawRecord& r) {
    return r.id == "north-korea";
  });
  ASSERT_TRUE(raw_->DeleteRaw(source.key).ok());
  const Report report = Check();
  EXPECT_THAT(report.problems,
              Contains(ProblemOf("history", "of a claim that does not exist")));
  EXPECT_THAT(report.problems,
              Contains(ProblemOf("source", "sources/north-korea does not exist")));
}

TEST_F(FsckTest, ChecksTokenRecords) {
  storage::TokenRecord good;
  good.mutable_token()->set_name("tokens/admin");
  good.set_hash_version(1);
  good.set_salt(std::string(16, 's'));
  good.set_secret_hash(std::string(32, 'h'));
  ASSERT_TRUE(raw_->PutRaw("t/admin", good.SerializeAsString()).ok());
  Report report = Check();
  EXPECT_TRUE(report.clean()) << FormatReport(report);
  EXPECT_EQ(report.tokens, 1);

  storage::TokenRecord bad = good;
  bad.mutable_token()->set_name("tokens/other");
  bad.set_secret_hash("short");
  ASSERT_TRUE(raw_->PutRaw("t/admin", bad.SerializeAsString()).ok());
  report = Check();
  EXPECT_THAT(report.problems, Contains(ProblemOf("token", "is named")));
  EXPECT_THAT(report.problems, Contains(ProblemOf("token", "unusable secret hash")));
}

// The binary: exit 0 clean, 1 problems (and 0 after a successful rebuild),
// 2 when it cannot check.
std::string FsckPath() {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/",
                      std::getenv("TEST_WORKSPACE"),
                      "/tools/fsck/claimtrail_fsck");
}

int RunFsck(const std::string& args) {
  const int status = std::system(
      absl::StrCat(FsckPath(), " ", args, " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(FsckTest, BinaryExitCodes) {
  EXPECT_EQ(RunFsck("--data_dir=" + dir_), 2) << "locked by this test";
  ASSERT_TRUE(raw_->PutRaw(RawLedger::IndexEntryKey(
                               storage::ClaimIndex::kTopic, "stale", "troops"),
                           "")
                  .ok());
  raw_.reset();
  EXPECT_EQ(RunFsck("--data_dir=" + dir_), 1);
  EXPECT_EQ(RunFsck("--data_dir=" + dir_ + " --rebuild_indexes"), 0);
  EXPECT_EQ(RunFsck("--data_dir=" + dir_), 0);
  EXPECT_EQ(RunFsck("--data_dir=" + dir_ + "/nope"), 2);

  // Stored changes are only reported: rebuilding the indexes leaves them.
  OpenRaw();
  const RawRecord record = Find(RecordType::kEvent, [](const RawRecord& r) {
    return r.id == "troops" && r.number == 1;
  });
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(record.value));
  event.mutable_changes(0)->set_after("tampered");
  Put(record, event);
  raw_.reset();
  EXPECT_EQ(RunFsck("--data_dir=" + dir_), 1);
  EXPECT_EQ(RunFsck("--data_dir=" + dir_ + " --rebuild_indexes"), 1);
  EXPECT_EQ(RunFsck(""), 2);
}

}  // namespace
}  // namespace fsck
}  // namespace claimtrail
