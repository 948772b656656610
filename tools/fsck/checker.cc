#include "tools/fsck/checker.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/message_differencer.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/core/diff.h"
#include "server/core/fold.h"
#include "server/storage/claim_index.h"
#include "server/storage/records.pb.h"
#include "server/storage/token_records.pb.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace fsck {
namespace {

using storage::RawLedger;
using storage::RawRecord;
using storage::RecordType;

constexpr int kFormatVersion = 1;

// Where an event sits, by its global sequence.
struct EventPlace {
  std::string claim_id;
  uint64_t revision = 0;
  bool in_log = false;
};

class Checker {
 public:
  explicit Checker(RawLedger& ledger) : ledger_(ledger) {}

  absl::StatusOr<Report> Run() {
    RETURN_IF_ERROR(ReadStats());
    RETURN_IF_ERROR(ScanUnknown());
    RETURN_IF_ERROR(ScanClaims());
    RETURN_IF_ERROR(ScanEvents());
    RETURN_IF_ERROR(ScanLog());
    RETURN_IF_ERROR(ScanSources());
    RETURN_IF_ERROR(ScanRequests());
    RETURN_IF_ERROR(ScanTokens());
    RETURN_IF_ERROR(ScanIndexes());
    RETURN_IF_ERROR(CheckStats());
    return std::move(report_);
  }

 private:
  void Add(absl::string_view check, absl::string_view where,
           absl::string_view detail) {
    report_.problems.push_back(
        {std::string(check), std::string(where), std::string(detail)});
  }

  std::function<void(absl::string_view, absl::string_view)> BadKey() {
    return [this](absl::string_view key, absl::string_view reason) {
      Add("record", absl::CHexEscape(key),
          absl::StrCat("key does not decode: ", reason));
    };
  }

  template <typename T>
  bool Parse(const RawRecord& record, T* out) {
    if (out->ParseFromString(record.value)) return true;
    Add("record", DescribeKey(record),
        absl::StrCat("value does not parse as ", out->GetTypeName()));
    return false;
  }

  absl::Status ScanUnknown() {
    return ledger_.ScanUnknownKeys([this](absl::string_view key) {
      Add("record", absl::CHexEscape(key),
          "key outside the key grammar (unknown record type)");
    });
  }

  absl::Status ScanClaims() {
    return ledger_.Scan(
        RecordType::kClaim,
        [this](const RawRecord& record) {
          ++report_.claims;
          claim_ids_.insert(record.id);
          v1::Claim claim;
          if (!Parse(record, &claim)) return true;
          const std::string name = absl::StrCat("claims/", record.id);
          if (claim.name() != name) {
            Add("record", DescribeKey(record),
                absl::StrCat("claim is named \"", claim.name(), "\""));
            return true;
          }
          claims_.emplace(record.id, std::move(claim));
          return true;
        },
        BadKey());
  }

  // Events arrive grouped by claim, in revision order.
  absl::Status ScanEvents() {
    std::string group;
    std::vector<v1::Event> events;
    bool group_parsed = true;
    auto finish = [&] {
      if (!group.empty()) FinishClaimEvents(group, events, group_parsed);
      events.clear();
      group_parsed = true;
    };
    RETURN_IF_ERROR(ledger_.Scan(
        RecordType::kEvent,
        [&](const RawRecord& record) {
          ++report_.events;
          if (record.id != group) {
            finish();
            group = record.id;
          }
          v1::Event event;
          if (!Parse(record, &event)) {
            group_parsed = false;
            return true;
          }
          const std::string name =
              absl::StrCat("claims/", record.id, "/events/", record.number);
          if (event.name() != name ||
              event.revision() != static_cast<int64_t>(record.number)) {
            Add("record", DescribeKey(record),
                absl::StrCat("event is named \"", event.name(),
                             "\" with revision ", event.revision()));
            group_parsed = false;
            return true;
          }
          if (event.sequence() == 0) {
            Add("log", DescribeKey(record), "event has no sequence");
          } else if (auto [it, inserted] = by_sequence_.emplace(
                         event.sequence(),
                         EventPlace{record.id, record.number, false});
                     !inserted) {
            Add("log", DescribeKey(record),
                absl::StrCat("sequence ", event.sequence(),
                             " is also that of e/", it->second.claim_id, "#",
                             it->second.revision));
          }
          events.push_back(std::move(event));
          return true;
        },
        BadKey()));
    finish();
    for (const std::string& id : claim_ids_) {
      if (!claims_with_events_.contains(id)) {
        Add("history", absl::StrCat("claims/", id), "claim has no events");
      }
    }
    return absl::OkStatus();
  }

  void FinishClaimEvents(const std::string& claim_id,
                         const std::vector<v1::Event>& events, bool parsed) {
    claims_with_events_.insert(claim_id);
    const std::string where = absl::StrCat("claims/", claim_id);
    if (!claim_ids_.contains(claim_id)) {
      Add("history", where,
          absl::StrCat(events.size(), " event(s) of a claim that does not "
                                      "exist"));
      return;
    }
    if (!parsed) return;  // Already reported; a fold would only echo it.
    for (size_t i = 0; i < events.size(); ++i) {
      const int64_t expected = static_cast<int64_t>(i) + 1;
      if (events[i].revision() != expected) {
        Add("history", where,
            absl::StrCat("revisions are not gapless: revision ", expected,
                         " is missing (next stored is ",
                         events[i].revision(), ")"));
        return;
      }
      if (i > 0 && events[i].sequence() <= events[i - 1].sequence()) {
        Add("history", events[i].name(),
            absl::StrCat("sequence ", events[i].sequence(),
                         " does not follow revision ", i, "'s sequence ",
                         events[i - 1].sequence()));
      }
    }
    auto claim = claims_.find(claim_id);
    if (claim == claims_.end()) return;  // Unparseable; reported.
    if (claim->second.revision() != static_cast<int64_t>(events.size())) {
      Add("history", where,
          absl::StrCat("claim is at revision ", claim->second.revision(),
                       " but has ", events.size(), " event(s)"));
    }
    absl::StatusOr<v1::Claim> folded = FoldCheckingChanges(events);
    if (!folded.ok()) {
      Add("fold", where,
          absl::StrCat("events do not fold: ", folded.status().message()));
      return;
    }
    v1::Claim stored = claim->second;
    stored.clear_state_summary();
    folded->clear_state_summary();
    google::protobuf::util::MessageDifferencer differencer;
    std::string differences;
    differencer.ReportDifferencesToString(&differences);
    if (!differencer.Compare(*folded, stored)) {
      if (differences.size() > 600) {
        differences = absl::StrCat(differences.substr(0, 600), "...");
      }
      Add("fold", where,
          absl::StrCat("materialized state differs from the fold of its "
                       "events (fold -> stored): ",
                       differences));
    }
  }

  // Whether the stats vouch that `event`'s stored changes are complete
  // (leveldb_storage.cc, COMPLETE CHANGES), an empty list included.
  bool VouchedComplete(const v1::Event& event) const {
    return stats_.has_value() && stats_->complete_changes_from() > 0 &&
           event.sequence() >= stats_->complete_changes_from() &&
           event.sequence() <= stats_->complete_changes_through();
  }

  // core::Fold of `events`, checking on the way that each event's stored
  // changes, when it has any, are the diff of the states around it (what
  // ListClaimEvents would compute without them). An event without stored
  // changes is a problem only where the stats vouch for its changes, since
  // timelines then show it as having changed nothing; elsewhere it was
  // written before changes were stored, or changed nothing a diff reports.
  absl::StatusOr<v1::Claim> FoldCheckingChanges(
      const std::vector<v1::Event>& events) {
    v1::Claim state;
    for (const v1::Event& event : events) {
      if (event.changes_size() == 0 && !VouchedComplete(event)) {
        RETURN_IF_ERROR(core::ApplyEvent(event, &state));
        continue;
      }
      const v1::Claim before = state;
      RETURN_IF_ERROR(core::ApplyEvent(event, &state));
      const std::vector<v1::FieldChange> fresh = core::DiffClaims(before, state);
      if (!core::HasChanges(event, fresh)) {
        Add("changes", event.name(), DescribeChangesMismatch(event, fresh));
      }
    }
    return state;
  }

  // The sizes and the first difference between stored and recomputed
  // changes, e.g. "... (stored 2 change(s), recomputed 2); first difference
  // at #1: stored \"verdict.rating: true -> false\", recomputed
  // \"verdict.rating:  -> false\"".
  static std::string DescribeChangesMismatch(
      const v1::Event& event, const std::vector<v1::FieldChange>& fresh) {
    auto describe = [](const v1::FieldChange& change) {
      return absl::StrCat("\"", change.path(), ": ", change.before(), " -> ",
                          change.after(), "\"");
    };
    const size_t stored_size = static_cast<size_t>(event.changes_size());
    size_t i = 0;
    while (i < stored_size && i < fresh.size() &&
           describe(event.changes(static_cast<int>(i))) == describe(fresh[i])) {
      ++i;
    }
    std::string detail = absl::StrCat(
        "stored changes differ from the diff of the fold (stored ",
        stored_size, " change(s), recomputed ", fresh.size(),
        "); first difference at #", i + 1, ": stored ",
        i < stored_size ? describe(event.changes(static_cast<int>(i)))
                        : "nothing",
        ", recomputed ", i < fresh.size() ? describe(fresh[i]) : "nothing");
    if (detail.size() > 600) {
      detail = absl::StrCat(detail.substr(0, 600), "...");
    }
    return detail;
  }

  absl::Status ScanLog() {
    uint64_t expected = 1;
    RETURN_IF_ERROR(ledger_.Scan(
        RecordType::kLog,
        [&](const RawRecord& record) {
          ++report_.log_entries;
          const uint64_t sequence = record.number;
          if (sequence != expected) {
            Add("log", DescribeKey(record),
                sequence > expected
                    ? absl::StrCat("gap: sequences ", expected, "..",
                                   sequence - 1, " are missing")
                    : std::string("sequence 0 is not a valid sequence"));
          }
          expected = sequence + 1;
          last_logged_ = std::max(last_logged_, sequence);
          storage::LogEntry entry;
          if (!Parse(record, &entry)) return true;
          auto place = by_sequence_.find(sequence);
          if (place == by_sequence_.end()) {
            Add("log", DescribeKey(record),
                absl::StrCat("points at e/", entry.claim_id(), "#",
                             entry.revision(),
                             ", but no event has this sequence"));
            return true;
          }
          place->second.in_log = true;
          if (place->second.claim_id != entry.claim_id() ||
              static_cast<int64_t>(place->second.revision) !=
                  entry.revision()) {
            Add("log", DescribeKey(record),
                absl::StrCat("points at e/", entry.claim_id(), "#",
                             entry.revision(), ", but the event with this "
                                               "sequence is e/",
                             place->second.claim_id, "#",
                             place->second.revision));
          }
          return true;
        },
        BadKey()));
    for (const auto& [sequence, place] : by_sequence_) {
      if (!place.in_log) {
        Add("log", absl::StrCat("e/", place.claim_id, "#", place.revision),
            absl::StrCat("event with sequence ", sequence,
                         " has no log entry g/", sequence));
      }
    }
    return absl::OkStatus();
  }

  absl::Status ScanSources() {
    std::vector<std::pair<std::string, std::string>> affiliations;
    RETURN_IF_ERROR(ledger_.Scan(
        RecordType::kSource,
        [&](const RawRecord& record) {
          ++report_.sources;
          source_ids_.insert(record.id);
          v1::Source source;
          if (!Parse(record, &source)) return true;
          if (source.name() != absl::StrCat("sources/", record.id)) {
            Add("record", DescribeKey(record),
                absl::StrCat("source is named \"", source.name(), "\""));
          }
          if (!source.affiliation().empty()) {
            affiliations.emplace_back(source.name(), source.affiliation());
          }
          return true;
        },
        BadKey()));
    for (const auto& [name, affiliation] : affiliations) {
      absl::string_view id = affiliation;
      if (!absl::ConsumePrefix(&id, "sources/") ||
          !source_ids_.contains(id)) {
        Add("source", name,
            absl::StrCat("affiliation ", affiliation, " does not exist"));
      }
    }
    return absl::OkStatus();
  }

  // The response type of each mutating method, as recorded.
  static std::unique_ptr<google::protobuf::Message> ResponseOf(
      absl::string_view method) {
    if (method == "CreateSource" || method == "UpdateSource") {
      return std::make_unique<v1::Source>();
    }
    if (method == "RedactEvent") return std::make_unique<v1::Event>();
    static const std::set<std::string, std::less<>> kClaimMethods = {
        "CreateClaim",   "UpdateClaim",   "AddAttribution", "ReviseFigure",
        "RecordStance",  "RecordVerdict", "AddAppearance",  "LinkClaims",
        "MergeClaims",   "RetractClaim"};
    if (kClaimMethods.count(method)) return std::make_unique<v1::Claim>();
    return nullptr;
  }

  absl::Status ScanRequests() {
    return ledger_.Scan(
        RecordType::kRequest,
        [&](const RawRecord& record) {
          ++report_.requests;
          storage::RequestRecord request;
          if (!Parse(record, &request)) return true;
          const std::string where = DescribeKey(record);
          if (request.request_id() != record.id) {
            Add("request", where,
                absl::StrCat("record names request \"",
                             absl::CHexEscape(request.request_id()), "\""));
          }
          if (request.fingerprint().empty()) {
            Add("request", where, "no fingerprint");
          }
          std::unique_ptr<google::protobuf::Message> response =
              ResponseOf(request.method());
          if (response == nullptr) {
            Add("request", where,
                absl::StrCat("unknown method \"", request.method(), "\""));
          } else if (!request.response_claim().empty()) {
            // A claim answer kept by reference (core/ledger_replay.h): the
            // claim must exist and have reached that revision.
            CheckResponseClaim(request, where);
          } else if (!response->ParseFromString(request.response())) {
            Add("request", where,
                absl::StrCat("response does not parse as ",
                             response->GetTypeName()));
          } else if (response->ByteSizeLong() == 0) {
            Add("request", where, "response is empty");
          }
          return true;
        },
        BadKey());
  }

  void CheckResponseClaim(const storage::RequestRecord& request,
                          const std::string& where) {
    const std::string prefix = "claims/";
    const std::string& name = request.response_claim();
    if (name.compare(0, prefix.size(), prefix) != 0) {
      Add("request", where, absl::StrCat("response names \"", name,
                                         "\", which is not a claim"));
      return;
    }
    auto claim = claims_.find(name.substr(prefix.size()));
    if (claim == claims_.end()) {
      Add("request", where, absl::StrCat("response names ", name,
                                         ", which does not exist"));
    } else if (request.response_revision() < 1 ||
               request.response_revision() > claim->second.revision()) {
      Add("request", where,
          absl::StrCat("response names ", name, " at revision ",
                       request.response_revision(), "; it has ",
                       claim->second.revision()));
    }
  }

  // API tokens (written by the token store, outside event commits).
  absl::Status ScanTokens() {
    return ledger_.Scan(
        RecordType::kToken,
        [&](const RawRecord& record) {
          ++report_.tokens;
          storage::TokenRecord token;
          if (!Parse(record, &token)) return true;
          const std::string where = DescribeKey(record);
          if (token.token().name() != absl::StrCat("tokens/", record.id)) {
            Add("token", where,
                absl::StrCat("token is named \"", token.token().name(), "\""));
          }
          if (token.hash_version() != 1 || token.salt().size() != 16 ||
              token.secret_hash().size() != 32) {
            Add("token", where,
                absl::StrCat("unusable secret hash (version ",
                             token.hash_version(), ", ", token.salt().size(),
                             "-byte salt, ", token.secret_hash().size(),
                             "-byte hash); the token can never match"));
          }
          return true;
        },
        BadKey());
  }

  absl::Status ScanIndexes() {
    // Every entry each claim should have.
    absl::flat_hash_set<std::string> expected;
    for (const auto& [id, claim] : claims_) {
      for (const auto& [index, value] : storage::ClaimIndexValues(claim)) {
        expected.insert(RawLedger::IndexEntryKey(index, value, id));
      }
    }
    RETURN_IF_ERROR(ledger_.Scan(
        RecordType::kIndex,
        [&](const RawRecord& record) {
          ++report_.index_entries;
          if (!claim_ids_.contains(record.id)) {
            Add("index", DescribeKey(record),
                absl::StrCat("points at claims/", record.id,
                             ", which does not exist"));
          } else if (claims_.count(record.id) &&
                     expected.erase(record.key) == 0) {
            Add("index", DescribeKey(record),
                absl::StrCat("stale: claims/", record.id,
                             " no longer has this value"));
          }
          return true;
        },
        BadKey()));
    // What is left was never found. Sorted, so reports are stable.
    std::set<std::string> missing;
    for (const std::string& key : expected) missing.insert(key);
    for (const std::string& key : missing) {
      // Re-decode for a readable name: the claim id follows the last NUL.
      const size_t nul = key.rfind('\0');
      Add("index", absl::StrCat("claims/", key.substr(nul + 1)),
          absl::StrCat("missing index entry \"",
                       absl::CHexEscape(key.substr(0, nul)), "\""));
    }
    return absl::OkStatus();
  }

  // Reads m/stats into stats_ (left empty when missing or unparseable; the
  // latter is reported here, the former by CheckStats).
  absl::Status ReadStats() {
    return ledger_.Scan(
        RecordType::kStats,
        [&](const RawRecord& record) {
          storage::StoredStats stats;
          if (Parse(record, &stats)) {
            stats_ = std::move(stats);
          } else {
            stats_unparseable_ = true;
          }
          return true;
        },
        BadKey());
  }

  absl::Status CheckStats() {
    if (!stats_.has_value()) {
      if (!stats_unparseable_ &&
          (report_.claims || report_.events || report_.sources)) {
        Add("stats", "m/stats", "missing, but the database has records");
      }
      return absl::OkStatus();
    }
    const storage::StoredStats& stats = *stats_;
    report_.last_sequence = stats.last_sequence();
    if (stats.format_version() != kFormatVersion) {
      Add("stats", "m/stats",
          absl::StrCat("format version ", stats.format_version(),
                       "; this fsck checks version ", kFormatVersion));
    }
    if (stats.claim_count() != report_.claims) {
      Add("stats", "m/stats",
          absl::StrCat("claim_count is ", stats.claim_count(), " but ",
                       report_.claims, " claim record(s) exist"));
    }
    if (stats.source_count() != report_.sources) {
      Add("stats", "m/stats",
          absl::StrCat("source_count is ", stats.source_count(), " but ",
                       report_.sources, " source record(s) exist"));
    }
    if (stats.last_sequence() != last_logged_) {
      Add("stats", "m/stats",
          absl::StrCat("last_sequence is ", stats.last_sequence(),
                       " but the log ends at ", last_logged_));
    }
    if (stats.complete_changes_through() > stats.last_sequence()) {
      Add("stats", "m/stats",
          absl::StrCat("complete_changes_through is ",
                       stats.complete_changes_through(),
                       ", past last_sequence ", stats.last_sequence()));
    }
    return absl::OkStatus();
  }

  RawLedger& ledger_;
  Report report_;
  absl::flat_hash_set<std::string> claim_ids_;  // Every c/ key.
  std::map<std::string, v1::Claim> claims_;    // Those that parse.
  absl::flat_hash_set<std::string> claims_with_events_;
  std::map<uint64_t, EventPlace> by_sequence_;
  absl::flat_hash_set<std::string> source_ids_;
  uint64_t last_logged_ = 0;
  bool stats_unparseable_ = false;
  std::optional<storage::StoredStats> stats_;  // m/stats, when it parses.
};

}  // namespace

int64_t Report::Count(const std::string& check) const {
  int64_t n = 0;
  for (const Problem& problem : problems) n += problem.check == check;
  return n;
}

absl::StatusOr<Report> CheckLedger(storage::RawLedger& ledger) {
  return Checker(ledger).Run();
}

absl::StatusOr<RawLedger::IndexRewrite> RebuildIndexes(RawLedger& ledger) {
  std::vector<v1::Claim> claims;
  RETURN_IF_ERROR(ledger.Scan(RecordType::kClaim, [&](const RawRecord& record) {
    v1::Claim claim;
    if (claim.ParseFromString(record.value) &&
        claim.name() == absl::StrCat("claims/", record.id)) {
      claims.push_back(std::move(claim));
    }
    return true;
  }));
  return ledger.RewriteIndexes(claims);
}

std::string FormatReport(const Report& report, int max_problems) {
  std::string out;
  int shown = 0;
  for (const Problem& problem : report.problems) {
    if (shown++ == max_problems) {
      absl::StrAppend(&out, "... and ", report.problems.size() - max_problems,
                      " more problem(s)\n");
      break;
    }
    absl::StrAppend(&out, "[", problem.check, "] ", problem.where, ": ",
                    problem.detail, "\n");
  }
  absl::StrAppend(&out, "fsck: ", report.claims, " claims, ", report.events,
                  " events, ", report.log_entries, " log entries (last ",
                  "sequence ", report.last_sequence, "), ", report.sources,
                  " sources, ", report.requests, " request records, ",
                  report.tokens, " tokens, ",
                  report.index_entries, " index entries: ");
  if (report.clean()) {
    absl::StrAppend(&out, "clean\n");
  } else {
    std::map<std::string, int> by_check;
    for (const Problem& problem : report.problems) ++by_check[problem.check];
    absl::StrAppend(
        &out, report.problems.size(), " problem(s) (",
        absl::StrJoin(by_check, ", ", absl::PairFormatter(": ")), ")\n");
  }
  return out;
}

}  // namespace fsck
}  // namespace claimtrail
