// Escaping for HTML and SVG text and attribute values.
#ifndef CLAIMTRAIL_SERVER_CORE_REPORT_HTML_ESCAPE_H_
#define CLAIMTRAIL_SERVER_CORE_REPORT_HTML_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace claimtrail {
namespace report {

// Replaces & < > " ' with character references; safe in element content
// and in quoted attribute values of HTML and XML.
std::string HtmlEscape(absl::string_view text);

}  // namespace report
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_REPORT_HTML_ESCAPE_H_
