// The output of one exporter.
#ifndef CLAIMTRAIL_SERVER_CORE_INTERCHANGE_EXPORT_RESULT_H_
#define CLAIMTRAIL_SERVER_CORE_INTERCHANGE_EXPORT_RESULT_H_

#include <string>

namespace claimtrail {
namespace interchange {

struct ExportResult {
  std::string content;
  // Reviews, claims or rows written.
  int items = 0;
  // Selected claims the format could not carry.
  int skipped = 0;
};

}  // namespace interchange
}  // namespace claimtrail

#endif  // CLAIMTRAIL_SERVER_CORE_INTERCHANGE_EXPORT_RESULT_H_
