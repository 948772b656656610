// The crash test's record of acknowledged writes.
//
// The driver appends one line per write the server acknowledged, after the
// acknowledgement; the verifier later checks each against the data
// directory. Lines are tab-separated:
//
//   {request_id}\t{method}\t{event or -}\t{expected event count}
//
// `event` is the event the response identifies ("claims/x/events/3"), or
// "-" when the response names none (CreateSource writes no event;
// RedactEvent returns the redacted event, not the one it appends).
// `expected event count` is how many events carry the request_id: 0 for
// CreateSource, 2 for LinkClaims and MergeClaims, 1 otherwise.
#ifndef CLAIMTRAIL_TOOLS_CRASH_ACK_LOG_H_
#define CLAIMTRAIL_TOOLS_CRASH_ACK_LOG_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace claimtrail {
namespace crash {

struct Ack {
  std::string request_id;
  std::string method;
  std::string event;  // "" when the line says "-".
  int expected_events = 1;
  // For CreateSource: the source created ("sources/x").
  std::string source;
};

// Appends acks to a file, one write(2) per line, so a line is never torn by
// a concurrent writer. Thread-safe.
class AckLogWriter {
 public:
  // Opens `path` for appending (creating it). UNAVAILABLE if it cannot.
  static absl::StatusOr<std::unique_ptr<AckLogWriter>> Open(
      const std::string& path);
  ~AckLogWriter();

  // Appends `ack`. Errors are counted, not returned (see failures()).
  void Append(const Ack& ack);
  int64_t failures() const;

 private:
  explicit AckLogWriter(int fd) : fd_(fd) {}
  const int fd_;
  mutable std::mutex mu_;
  int64_t failures_ = 0;
};

// The acks in `path`. A last line without '\n' (cannot happen: the driver
// is never killed) is refused as INVALID_ARGUMENT, as is a malformed one.
absl::StatusOr<std::vector<Ack>> ReadAckLog(const std::string& path);

}  // namespace crash
}  // namespace claimtrail

#endif  // CLAIMTRAIL_TOOLS_CRASH_ACK_LOG_H_
