// What a mutating request sees while the committer applies it.
#ifndef CLAIMTRAIL_SERVER_CORE_LEDGER_MUTATION_CONTEXT_H_
#define CLAIMTRAIL_SERVER_CORE_LEDGER_MUTATION_CONTEXT_H_

#include <string>

#include "absl/time/time.h"
#include "server/core/ledger_overlay.h"
#include "server/core/principal.h"

namespace claimtrail {
namespace core {

struct MutationContext {
  // The group's state so far; the request stages its writes here.
  Overlay* overlay = nullptr;
  // The recorded time of this request's events and source changes.
  absl::Time now;
  // The authenticated caller; authors, creators and reviewers come from it.
  const Principal* who = nullptr;
  // The request's idempotency key, copied into its events.
  std::string request_id;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_LEDGER_MUTATION_CONTEXT_H_
