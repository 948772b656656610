#include "tools/crash/ack_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace claimtrail {
namespace crash {

absl::StatusOr<std::unique_ptr<AckLogWriter>> AckLogWriter::Open(
    const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  return std::unique_ptr<AckLogWriter>(new AckLogWriter(fd));
}

AckLogWriter::~AckLogWriter() { ::close(fd_); }

void AckLogWriter::Append(const Ack& ack) {
  const std::string line =
      absl::StrCat(ack.request_id, "\t", ack.method, "\t",
                   ack.event.empty() ? "-" : ack.event, "\t",
                   ack.expected_events, "\t",
                   ack.source.empty() ? "-" : ack.source, "\n");
  // O_APPEND makes each write land whole at the end; the mutex only guards
  // the failure count.
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written != static_cast<ssize_t>(line.size())) {
    std::lock_guard<std::mutex> lock(mu_);
    ++failures_;
  }
}

int64_t AckLogWriter::failures() const {
  std::lock_guard<std::mutex> lock(mu_);
  return failures_;
}

absl::StatusOr<std::vector<Ack>> ReadAckLog(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (!text.empty() && text.back() != '\n') {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": last line is incomplete"));
  }
  std::vector<Ack> acks;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    ++line_number;
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    Ack ack;
    if (fields.size() != 5 ||
        !absl::SimpleAtoi(fields[3], &ack.expected_events)) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_number, ": malformed line"));
    }
    ack.request_id = fields[0];
    ack.method = fields[1];
    if (fields[2] != "-") ack.event = fields[2];
    if (fields[4] != "-") ack.source = fields[4];
    acks.push_back(std::move(ack));
  }
  return acks;
}

}  // namespace crash
}  // namespace claimtrail
