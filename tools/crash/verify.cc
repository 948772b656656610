#include "tools/crash/verify.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace crash {
namespace {

constexpr size_t kMaxProblems = 50;

void Problem(Verdict& verdict, std::string line) {
  if (verdict.problems.size() < kMaxProblems) {
    verdict.problems.push_back(std::move(line));
  }
}

}  // namespace

absl::StatusOr<Verdict> VerifyAcks(storage::RawLedger& ledger,
                                   const std::vector<Ack>& acks) {
  Verdict verdict;
  // Only the ids we need, to keep memory to the acks, not the ledger.
  absl::flat_hash_map<std::string, const Ack*> by_id;
  for (const Ack& ack : acks) {
    auto [it, inserted] = by_id.emplace(ack.request_id, &ack);
    if (!inserted && (it->second->method != ack.method ||
                      it->second->expected_events != ack.expected_events)) {
      Problem(verdict, absl::StrCat("request ", ack.request_id,
                                    " acknowledged as two different writes"));
    }
  }
  verdict.acknowledged = by_id.size();

  absl::flat_hash_map<std::string, std::vector<std::string>> events_of;
  RETURN_IF_ERROR(ledger.Scan(
      storage::RecordType::kEvent, [&](const storage::RawRecord& record) {
        ++verdict.events_total;
        v1::Event event;
        if (!event.ParseFromString(record.value)) {
          Problem(verdict, absl::StrCat(DescribeKey(record), " does not parse"));
          return true;
        }
        if (by_id.contains(event.request_id())) {
          ++verdict.events_checked;
          events_of[event.request_id()].push_back(event.name());
        }
        return true;
      }));
  absl::flat_hash_set<std::string> sources;
  absl::flat_hash_set<std::string> requests;
  RETURN_IF_ERROR(ledger.Scan(storage::RecordType::kSource,
                              [&](const storage::RawRecord& record) {
                                sources.insert(record.id);
                                return true;
                              }));
  RETURN_IF_ERROR(ledger.Scan(storage::RecordType::kRequest,
                              [&](const storage::RawRecord& record) {
                                if (by_id.contains(record.id)) {
                                  requests.insert(record.id);
                                }
                                return true;
                              }));

  for (const auto& [id, ack] : by_id) {
    const std::vector<std::string>& events = events_of[id];
    const int found = static_cast<int>(events.size());
    bool lost = false;
    if (found < ack->expected_events) {
      lost = true;
      Problem(verdict, absl::StrCat("LOST: ", ack->method, " ", id, " has ",
                                    found, " of ", ack->expected_events,
                                    " event(s)"));
    } else if (found > ack->expected_events) {
      ++verdict.duplicated;
      Problem(verdict, absl::StrCat("DUPLICATED: ", ack->method, " ", id,
                                    " has ", found, " events, expected ",
                                    ack->expected_events));
    }
    if (!ack->event.empty() &&
        std::find(events.begin(), events.end(), ack->event) == events.end()) {
      lost = true;
      Problem(verdict, absl::StrCat("LOST: ", ack->method, " ", id,
                                    " acknowledged ", ack->event,
                                    ", which does not carry its request id"));
    }
    if (!requests.contains(id)) {
      lost = true;
      Problem(verdict, absl::StrCat("LOST: ", ack->method, " ", id,
                                    " has no idempotency record"));
    }
    absl::string_view source = ack->source;
    if (absl::ConsumePrefix(&source, "sources/") && !sources.contains(source)) {
      lost = true;
      Problem(verdict, absl::StrCat("LOST: ", ack->method, " ", id, " created ",
                                    ack->source, ", which does not exist"));
    }
    verdict.lost += lost;
  }
  return verdict;
}

}  // namespace crash
}  // namespace claimtrail
