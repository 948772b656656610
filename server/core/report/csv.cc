#include "server/core/report/csv.h"

#include <utility>

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

}  // namespace

void AppendCsvRecord(const std::vector<std::string>& fields,
                     std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    if (NeedsQuotes(fields[i])) {
      absl::StrAppend(out, "\"", absl::StrReplaceAll(fields[i], {{"\"", "\"\""}}),
                      "\"");
    } else {
      out->append(fields[i]);
    }
  }
  out->append("\r\n");
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
