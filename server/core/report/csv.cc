#include "server/core/report/csv.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace claimtrail {
namespace report {
namespace {

bool NeedsQuotes(absl::string_view field) {
  if (field.empty()) return false;
  return field.find_first_of(",\"\r\n") != absl::string_view::npos ||
         field.front() == ' ' || field.back() == ' ';
}

// The first characters that make a spreadsheet cell a formula (OWASP).
bool IsFormulaStart(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// An optional sign, digits, and optionally a point and more digits: "-5",
// "+3.5".
bool IsPlainNumber(absl::string_view field) {
  if (!absl::ConsumePrefix(&field, "-")) absl::ConsumePrefix(&field, "+");
  const auto all_digits = [](absl::string_view digits) {
    return !digits.empty() &&
           std::all_of(digits.begin(), digits.end(), [](char c) {
             return absl::ascii_isdigit(static_cast<unsigned char>(c));
           });
  };
  const size_t point = field.find('.');
  if (point == absl::string_view::npos) return all_digits(field);
  return all_digits(field.substr(0, point)) &&
         all_digits(field.substr(point + 1));
}

// True for "'-5", "''=x" and the like: at least `min_quotes` leading single
// quotes, then a formula start.
bool QuotesThenFormulaStart(absl::string_view field, size_t min_quotes) {
  const size_t quotes = field.find_first_not_of('\'');
  return quotes != absl::string_view::npos && quotes >= min_quotes &&
         IsFormulaStart(field[quotes]);
}

// Whether AppendCsvRecord puts a single quote in front of `field`.
bool NeedsFormulaGuard(absl::string_view field) {
  if (!QuotesThenFormulaStart(field, 0)) return false;
  return field.front() == '\'' || !IsPlainNumber(field);
}

}  // namespace

void AppendCsvRecord(const std::vector<std::string>& fields,
                     std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    const bool guard = NeedsFormulaGuard(fields[i]);
    if (guard || NeedsQuotes(fields[i])) {
      absl::StrAppend(out, guard ? "\"'" : "\"",
                      absl::StrReplaceAll(fields[i], {{"\"", "\"\""}}), "\"");
    } else {
      out->append(fields[i]);
    }
  }
  out->append("\r\n");
}

std::string RestoreCsvFormulaField(absl::string_view field) {
  if (QuotesThenFormulaStart(field, 1)) field.remove_prefix(1);
  return std::string(field);
}

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string field;
  int line = 1;
  bool in_quotes = false;
  bool field_was_quoted = false;
  bool record_started = false;
  int quote_line = 0;

  const auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    field_was_quoted = false;
  };
  const auto end_record = [&] {
    end_field();
    // A line with nothing on it is not a record.
    const bool blank = record.fields.size() == 1 && record.fields[0].empty();
    if (!blank) records.push_back(std::move(record));
    record = CsvRecord();
    record_started = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (!record_started) {
      record.line = line;
      record_started = true;
    }
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!field.empty() || field_was_quoted) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", line, ": a quote inside a field must be doubled "
              "and the field quoted"));
        }
        in_quotes = true;
        field_was_quoted = true;
        quote_line = line;
        break;
      case ',':
        end_field();
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;
        field.push_back(c);
        break;
      case '\n':
        end_record();
        ++line;
        break;
      default:
        if (field_was_quoted) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", line, ": text after a closing quote"));
        }
        field.push_back(c);
        break;
    }
  }
  if (in_quotes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", quote_line, ": quoted field not closed before the end"));
  }
  if (record_started) end_record();
  return records;
}

}  // namespace report
}  // namespace claimtrail
