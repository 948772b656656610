// The change feed behind WatchClaims: committed events after a cursor,
// filtered, read from the global log at the reader's pace.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "server/core/ledger_claim_filter.h"
#include "server/core/ledger_impl.h"
#include "server/core/ledger_names.h"
#include "server/core/validation.h"
#include "server/util/status_macros.h"

namespace claimtrail {
namespace core {
namespace {

constexpr int kLogChunk = 256;
// Most log entries one call examines, so that a rare filter cannot make one
// call read the whole log; the cursor still advances past them.
constexpr int kMaxExamined = 10000;

}  // namespace

absl::Status Ledger::Impl::ValidateWatch(const v1::WatchClaimsRequest& filter) {
  RETURN_IF_ERROR(Validate(filter));
  if (!filter.claim().empty()) {
    ASSIGN_OR_RETURN(std::string id, ParseClaimName("claim", filter.claim()));
    RETURN_IF_ERROR(ReadStoredClaim(id).status());
  }
  for (const auto& [field, name] :
       {std::pair<const char*, const std::string*>{"source", &filter.source()},
        {"party", &filter.party()}}) {
    if (name->empty()) continue;
    ASSIGN_OR_RETURN(std::string id, ParseSourceName(field, *name));
    absl::StatusOr<v1::Source> source = storage_->ReadSource(id);
    if (absl::IsNotFound(source.status())) {
      return absl::NotFoundError(
          absl::StrCat(field, ": ", SourceName(id), " not found"));
    }
    RETURN_IF_ERROR(source.status());
  }
  return absl::OkStatus();
}

absl::StatusOr<Ledger::Changes> Ledger::Impl::ReadChanges(
    const v1::WatchClaimsRequest& filter, uint64_t after_sequence, int limit) {
  RETURN_IF_ERROR(Validate(filter));
  std::string claim_id;
  if (!filter.claim().empty()) {
    ASSIGN_OR_RETURN(claim_id, ParseClaimName("claim", filter.claim()));
  }
  // Source and party filters look at each claim as it is now, read once.
  std::map<std::string, std::optional<v1::Claim>> current;
  auto current_claim =
      [&](const std::string& id) -> absl::StatusOr<const v1::Claim*> {
    auto it = current.find(id);
    if (it == current.end()) {
      absl::StatusOr<v1::Claim> claim = storage_->ReadClaim(id);
      std::optional<v1::Claim> value;
      if (claim.ok()) {
        value = *std::move(claim);
      } else if (!absl::IsNotFound(claim.status())) {
        return claim.status();
      }
      it = current.emplace(id, std::move(value)).first;
    }
    return it->second.has_value() ? &*it->second : nullptr;
  };

  Changes changes;
  changes.next_cursor = after_sequence;
  if (limit <= 0) return changes;
  int examined = 0;
  while (examined < kMaxExamined) {
    ASSIGN_OR_RETURN(std::vector<storage::EventRef> refs,
                     storage_->ReadLog(changes.next_cursor, kLogChunk));
    for (const storage::EventRef& ref : refs) {
      changes.next_cursor = ref.sequence;
      ++examined;
      if (!claim_id.empty() && ref.claim_id != claim_id) continue;
      ASSIGN_OR_RETURN(std::vector<v1::Event> found,
                       storage_->ReadEvents(ref.claim_id, ref.revision, 1));
      if (found.empty() || found[0].revision() != ref.revision) {
        return absl::InternalError(absl::StrCat(
            "log entry ", ref.sequence, " names ",
            EventName(ref.claim_id, ref.revision), ", which is missing"));
      }
      v1::Event& event = found[0];
      if (filter.kinds_size() > 0 &&
          std::find(filter.kinds().begin(), filter.kinds().end(),
                    event.kind()) == filter.kinds().end()) {
        continue;
      }
      if (filter.state() != v1::CLAIM_STATE_UNSPECIFIED &&
          event.claim_state() != filter.state()) {
        continue;
      }
      if (!filter.source().empty() || !filter.party().empty()) {
        ASSIGN_OR_RETURN(const v1::Claim* claim, current_claim(ref.claim_id));
        if (claim == nullptr) continue;
        if (!filter.source().empty() &&
            !AttributedTo(*claim, filter.source())) {
          continue;
        }
        if (!filter.party().empty() && !HasStanceOf(*claim, filter.party())) {
          continue;
        }
      }
      v1::WatchClaimsResponse response;
      response.set_state(event.claim_state());
      *response.mutable_event() = std::move(event);
      changes.events.push_back(std::move(response));
      if (static_cast<int>(changes.events.size()) >= limit) return changes;
    }
    if (static_cast<int>(refs.size()) < kLogChunk) break;
  }
  return changes;
}

}  // namespace core
}  // namespace claimtrail
