// How a committed request's answer is kept in its idempotency record, and
// rebuilt when the same request comes again (a client retry).
//
// Sources and events are small: the record holds the serialized answer.
// A claim is the largest answer and goes with almost every request, so the
// record holds only which claim at which revision; a repeat is answered
// with the fold of that claim's events up to the revision (equal to the
// first answer, since events are never changed except by redaction, whose
// removed payload then stays removed from the repeat's answer too).
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_REPLAY_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_REPLAY_H_

#include "absl/status/status.h"
#include "proto/claimtrail/v1/resources.pb.h"
#include "server/core/ledger_mutation_context.h"
#include "server/storage/records.pb.h"

namespace claimtrail {
namespace core {

// Writes into `record` what a repeat needs to answer like `response`.
template <typename Response>
void KeepResponse(const Response& response, storage::RequestRecord* record) {
  record->set_response(response.SerializeAsString());
}
void KeepResponse(const v1::Claim& response, storage::RequestRecord* record);

// The answer kept by KeepResponse, read through `context` (a claim is
// folded from the overlay's events). INTERNAL when the record is unusable
// (bytes that do not parse, a claim with fewer events than recorded): the
// message says to run fsck.
template <typename Response>
absl::Status RebuildResponse(const storage::RequestRecord& record,
                             MutationContext& /*context*/, Response* out) {
  if (!out->ParseFromString(record.response())) {
    return absl::InternalError(
        "request_id: the stored response of the first request is corrupt; "
        "run `claimtrail fsck`");
  }
  return absl::OkStatus();
}
absl::Status RebuildResponse(const storage::RequestRecord& record,
                             MutationContext& context, v1::Claim* out);

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_REPLAY_H_
