// Writes the audit report of the audit dataset (audit_dataset.h), for checks
// by programs we did not write and for the README excerpt.
// Usage: report_writer FORMAT OUT_FILE [AS_OF], FORMAT one of MARKDOWN,
// HTML, JSON, CSV; AS_OF in RFC 3339 (default: the dataset's "now").
#include <cstdio>
#include <fstream>
#include <string>

#include "server/core/report/audit.h"
#include "tests/server/core/report/audit_dataset.h"

int main(int argc, char** argv) {
  using namespace claimtrail;
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: %s FORMAT OUT_FILE [AS_OF]\n", argv[0]);
    return 2;
  }
  v1::AuditReportRequest req;
  v1::ReportFormat format;
  if (!v1::ReportFormat_Parse(std::string("REPORT_FORMAT_") + argv[1],
                              &format)) {
    std::fprintf(stderr, "unknown format %s\n", argv[1]);
    return 2;
  }
  req.set_format(format);
  if (argc == 4) *req.mutable_as_of() = testing_data::Ts(argv[3]);
  absl::StatusOr<v1::AuditReport> report =
      report::BuildAuditReport(testing_data::AuditDataset(), req);
  if (!report.ok()) {
    std::fprintf(stderr, "report failed: %s\n",
                 report.status().ToString().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out << report->rendered();
  return out.good() ? 0 : 1;
}
