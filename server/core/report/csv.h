// RFC 4180 CSV: writing rows and reading records with their line numbers.
// Shared by the CSV report and the CSV exports and imports. Pure.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_CSV_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace claimtrail {
namespace report {

// Appends one record to `out`: fields separated by commas, a field quoted
// (with inner quotes doubled) when it holds a comma, a quote, CR or LF, or
// starts or ends with a space; CRLF at the end (RFC 4180 §2).
void AppendCsvRecord(const std::vector<std::string>& fields, std::string* out);

struct CsvRecord {
  // 1-based line on which the record starts.
  int line = 0;
  std::vector<std::string> fields;
};

// Parses `text` (RFC 4180; LF or CRLF line ends; a UTF-8 byte-order mark at
// the start is skipped). Empty lines between records are skipped.
// INVALID_ARGUMENT "line N: ..." for a quote left open at the end, or a
// quote inside an unquoted field or after a closing quote.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_CSV_H_
