// Status-propagation macros. Abseil 20220623 ships none, so these are ours.
//
//   RETURN_IF_ERROR(expr);            // returns expr's status when not OK
//   ASSIGN_OR_RETURN(lhs, expr);      // lhs = *expr, or returns its status
//
// Both evaluate `expr` exactly once. Safe in any function returning
// absl::Status or absl::StatusOr<T>.
#ifndef CLAIMTRAIL_SERVER_UTIL_STATUS_MACROS_H_
#define CLAIMTRAIL_SERVER_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CT_STATUS_CONCAT_INNER_(a, b) a##b
#define CT_STATUS_CONCAT_(a, b) CT_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                                        \
  do {                                                               \
    const ::absl::Status ct_status_ = (expr);                        \
    if (!ct_status_.ok()) return ct_status_;                         \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  CT_ASSIGN_OR_RETURN_IMPL_(CT_STATUS_CONCAT_(ct_statusor_, __LINE__), lhs, expr)

#define CT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                              \
  if (!statusor.ok()) return statusor.status();        \
  lhs = std::move(statusor).value()

#endif  // CLAIMTRAIL_SERVER_UTIL_STATUS_MACROS_H_
