// Writes an export of the audit dataset (tests/server/core/report/
// audit_dataset.h) for checks by programs we did not write.
// Usage: export_writer FORMAT OUT_FILE, FORMAT one of PROV_JSON,
// CLAIMREVIEW_JSONLD, CSV_CLAIMS, CSV_EVENTS.
#include <cstdio>
#include <fstream>
#include <string>

#include "server/core/interchange/interchange.h"
#include "tests/server/core/report/audit_dataset.h"

int main(int argc, char** argv) {
  using namespace claimtrail;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s FORMAT OUT_FILE\n", argv[0]);
    return 2;
  }
  v1::ExportFormat format;
  if (!v1::ExportFormat_Parse(std::string("EXPORT_FORMAT_") + argv[1],
                              &format)) {
    std::fprintf(stderr, "unknown format %s\n", argv[1]);
    return 2;
  }
  report::AuditInput input = testing_data::AuditDataset();
  testing_data::AppendEvent(&input, "nk-troops",
                            "verdict_recorded { rating: VERDICT_RATING_TRUE }",
                            "2025-05-02T00:00:00Z");
  v1::ExportRequest req;
  req.set_format(format);
  absl::StatusOr<v1::ExportResponse> response = interchange::Export(input, req);
  if (!response.ok()) {
    std::fprintf(stderr, "export failed: %s\n",
                 response.status().ToString().c_str());
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary);
  out << response->content();
  return out.good() ? 0 : 1;
}
