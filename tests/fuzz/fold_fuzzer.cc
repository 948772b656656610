// Fuzz target: the event fold (server/core/fold.h).
//
// Input: a serialized ListClaimEventsResponse, used only as a container of
// events: arbitrary event sequences. ApplyEvent over them, one by one, must
// return OK or INTERNAL (a corrupt history), leave the claim unchanged on
// INTERNAL, and never crash; whatever state results, DeriveState,
// StateSummary and ClaimEtag must cope with it. Fold() must agree with the
// step-by-step application.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "proto/claimtrail/v1/service.pb.h"
#include "server/core/fold.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using claimtrail::v1::Claim;
  claimtrail::v1::ListClaimEventsResponse events;
  if (!events.ParseFromArray(data, static_cast<int>(size))) return 0;
  Claim claim;
  bool all_ok = true;
  for (const claimtrail::v1::Event& event : events.events()) {
    const std::string before = claim.SerializeAsString();
    const absl::Status status = claimtrail::core::ApplyEvent(event, &claim);
    FUZZ_CHECK(status.ok() || status.code() == absl::StatusCode::kInternal,
               "ApplyEvent returned %s", status.ToString().c_str());
    if (!status.ok()) {
      FUZZ_CHECK(claim.SerializeAsString() == before,
                 "ApplyEvent changed the claim although it failed: %s",
                 status.ToString().c_str());
      all_ok = false;
      break;
    }
  }
  claimtrail::core::DeriveState(claim);
  claimtrail::core::StateSummary(
      claim, [](const std::string& name) { return name; });
  claimtrail::core::ClaimEtag(claim);

  const std::vector<claimtrail::v1::Event> all(events.events().begin(),
                                               events.events().end());
  auto folded = claimtrail::core::Fold(all);
  FUZZ_CHECK(folded.ok() == all_ok, "Fold and ApplyEvent disagree: %s",
             folded.status().ToString().c_str());
  if (folded.ok()) {
    FUZZ_CHECK(folded->SerializeAsString() == claim.SerializeAsString(),
               "Fold gave another state than ApplyEvent step by step");
  }
  return 0;
}
