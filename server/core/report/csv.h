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
//
// Formula injection (OWASP "CSV Injection"): spreadsheet applications run a
// cell that starts with '=', '+', '-', '@', tab or CR as a formula, and
// claim texts, notes and statements come from outside. Such a field is
// written quoted with a single quote ' in front ("-5 degrees" ->
// "'-5 degrees"), which spreadsheets show as text. Exceptions and
// exactness:
// - a field that is just a number ("-5", "+3", "-2.75") is written as is:
//   it cannot be a formula, and numeric columns (e.g. negative seconds in
//   the audit report) stay numbers;
// - a field whose leading single quotes are followed by one of those
//   characters ("'-5") gets one more quote too, so that
//   RestoreCsvFormulaField below gives every field back exactly.
void AppendCsvRecord(const std::vector<std::string>& fields, std::string* out);

// Undoes AppendCsvRecord's guard on one parsed field: a field of one or
// more single quotes followed by '=', '+', '-', '@', tab or CR loses its
// first quote ("'-5 degrees" -> "-5 degrees"); any other field is returned
// as is. For readers of our own exports (the CSV import); ParseCsv itself
// returns fields as RFC 4180 has them.
std::string RestoreCsvFormulaField(absl::string_view field);

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
