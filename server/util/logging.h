// Minimal logging: one line per call to stderr, with UTC time and severity.
// Abseil 20220623 has no absl/log. Thread-safe (each line is one write).
#ifndef CLAIMTRAIL_SERVER_UTIL_LOGGING_H_
#define CLAIMTRAIL_SERVER_UTIL_LOGGING_H_

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace claimtrail {

enum class LogSeverity { kInfo, kWarning, kError };

// Writes "<RFC3339 time> <I|W|E> <message>\n" to stderr.
void LogLine(LogSeverity severity, absl::string_view message);

template <typename... Args>
void LogInfo(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogSeverity::kInfo, absl::StrFormat(format, args...));
}
template <typename... Args>
void LogWarning(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogSeverity::kWarning, absl::StrFormat(format, args...));
}
template <typename... Args>
void LogError(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine(LogSeverity::kError, absl::StrFormat(format, args...));
}

}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_UTIL_LOGGING_H_
