// Principal: the authenticated caller of a request. Event authors, verdict
// reviewers and claim creators are taken from here, never from a request
// field. The service layer builds it from the authenticated connection.
#ifndef CLAIMTRAIL_SERVER_CORE_PRINCIPAL_H_
#define CLAIMTRAIL_SERVER_CORE_PRINCIPAL_H_

#include <string>

namespace claimtrail {
namespace core {

struct Principal {
  // Stable name, e.g. "users/alice" or "services/cms". Never empty for an
  // authenticated caller.
  std::string name;
};

}  // namespace core
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_PRINCIPAL_H_
