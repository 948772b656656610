#include "server/core/ledger_replay.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "server/core/fold.h"
#include "server/core/ledger_write_util.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {

void KeepResponse(const v1::Claim& response, storage::RequestRecord* record) {
  record->set_response_claim(response.name());
  record->set_response_revision(response.revision());
}

absl::Status RebuildResponse(const storage::RequestRecord& record,
                             MutationContext& context, v1::Claim* out) {
  if (record.response_claim().empty()) {
    // Written before claims were kept by reference: a stored copy.
    return RebuildResponse<v1::Claim>(record, context, out);
  }
  const auto corrupt = [&record](absl::string_view why) {
    return absl::InternalError(absl::StrCat(
        "request_id: the first request's answer (", record.response_claim(),
        " at revision ", record.response_revision(), ") cannot be rebuilt: ",
        why, "; run `claimtrail fsck`"));
  };
  absl::StatusOr<std::string> id =
      ParseClaimName("response_claim", record.response_claim());
  if (!id.ok()) return corrupt(id.status().message());
  ASSIGN_OR_RETURN(std::vector<v1::Event> events,
                   context.overlay->ReadAllEvents(*id));
  const int64_t revision = record.response_revision();
  if (revision < 1 || revision > static_cast<int64_t>(events.size())) {
    return corrupt(absl::StrCat("the claim has ", events.size(), " events"));
  }
  absl::StatusOr<v1::Claim> claim =
      Fold(absl::MakeConstSpan(events).subspan(0, revision));
  if (!claim.ok()) return corrupt(claim.status().message());
  *out = WithSummary(context, *std::move(claim));
  return absl::OkStatus();
}

}  // namespace core
}  // namespace claimtrail
