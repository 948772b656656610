// Conversions between google.protobuf.Timestamp and absl::Time, written once
// for every layer (the protobuf 3.21 TimeUtil speaks std/timeval, not absl).
// Pure and thread-safe. Out-of-range values are not checked here: request
// validation rejects timestamps outside 0001-01-01..9999-12-31 first.
#ifndef CLAIMTRAIL_SERVER_UTIL_PROTO_TIME_H_
#define CLAIMTRAIL_SERVER_UTIL_PROTO_TIME_H_

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace claimtrail {

// The instant a Timestamp names.
absl::Time FromProtoTime(const google::protobuf::Timestamp& timestamp);

// The Timestamp of an instant, with nanos in [0, 1e9).
google::protobuf::Timestamp ToProtoTime(absl::Time time);

}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_UTIL_PROTO_TIME_H_
