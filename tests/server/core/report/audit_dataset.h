// A constructed dataset whose audit figures are known by hand, shared by the
// report and interchange tests. Times are fixed (a fake clock): every event
// gets the recorded time the dataset gives it.
//
// Claims (times UTC):
//  claims/nk-troops   BRIEF §2: NIS (said) -> straitstimes.com (reported),
//                     created 2025-03-21T09:00; figure "troops" over 10,000,
//                     revised to about 12,000 on 2025-03-31T09:00 (same
//                     chain: de-duplicated); North Korea and Russia "not
//                     confirmed"; Russia confirms (recorded 2025-04-26T12:00,
//                     asserted 08:00), North Korea confirms (recorded
//                     2025-04-28T06:00). First asserted 2025-03-20T00:00.
//  claims/claim-a     NIS -> Yonhap, NIS -> Reuters, NIS -> Reuters ->
//                     straitstimes.com: 1 origin, 3 relays, 2 echoes,
//                     depth 3. No stances.
//  claims/claim-b     Ukraine's GUR (for Ukraine) -> Reuters; KCNA (for
//                     North Korea) alone; North Korea -> Yonhap: 2 origins.
//                     Ukraine confirms 2025-03-22T09:00, Russia denies
//                     2025-03-23T09:00: disputed.
//  claims/claim-anon  anonymous US officials (reason given, credibility 3)
//                     -> Reuters; an anonymous source -> Yonhap: 2 origins,
//                     anonymous only. No stances.
//  claims/claim-retracted  straitstimes.com alone; retracted
//                     2025-03-24T09:00.
//  claims/claim-late  created 2025-05-10T00:00, no attribution; North Korea
//                     not confirmed.
#ifndef CLAIMTRAIL_TESTS_SERVER_CORE_REPORT_AUDIT_DATASET_H_
#define CLAIMTRAIL_TESTS_SERVER_CORE_REPORT_AUDIT_DATASET_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/core/report/audit_input.h"
#include "server/storage/storage.h"

namespace claimtrail {
namespace testing_data {

// "2025-03-21T09:00:00Z" -> time; fails the current test on a bad string.
absl::Time At(const std::string& rfc3339);
google::protobuf::Timestamp Ts(const std::string& rfc3339);

// Builds one claim's history with explicit recorded times.
class HistoryBuilder {
 public:
  explicit HistoryBuilder(std::string claim_id);
  // `payload` is text format of Event payload fields (e.g.
  // "stance_recorded { ... }"); the kind follows from the payload.
  HistoryBuilder& Add(const std::string& payload, const std::string& recorded,
                      const std::string& asserted = "");
  const std::vector<v1::Event>& events() const { return events_; }

 private:
  std::string claim_id_;
  std::vector<v1::Event> events_;
};

// The dataset described above; input.now = 2025-06-01T00:00:00Z.
report::AuditInput AuditDataset();

// Appends an event to the history of claims/{claim_id} in `input`, with the
// next revision.
void AppendEvent(report::AuditInput* input, const std::string& claim_id,
                 const std::string& payload, const std::string& recorded,
                 const std::string& asserted = "");

// Writes `input` into `storage` as one commit (materialized claims, events
// with consecutive sequences, sources). Fails the current test on error.
void CommitDataset(const report::AuditInput& input, storage::Storage& storage);

}  // namespace testing_data
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TESTS_SERVER_CORE_REPORT_AUDIT_DATASET_H_
