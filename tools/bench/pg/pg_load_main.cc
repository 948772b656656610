// pg_load: the same closed-loop load as load_generator, on PostgreSQL.
//
//   pg_load --conninfo="host=127.0.0.1 port=P user=postgres dbname=postgres"
//       [--server_pid=POSTMASTER_PID] [--workloads=append,get,asof,timeline100]
//       [--in_flight=1,4,16,64,256]
//
// A history table with the same ~1 KiB payload as claimtrail's events:
//   claim_event(seq bigserial primary key, claim_id text, recorded
//               timestamptz, payload text), index (claim_id, seq)
//
//   append       INSERT of one event, autocommit: acknowledged after the
//                WAL is flushed (synchronous_commit=on, fsync=on — the
//                server's settings, checked at start).
//   get          the latest event of a claim (index scan, LIMIT 1).
//   asof         the latest event of a claim recorded at or before a time
//                in the middle of its history.
//   timeline100  the first 100 events of a 100-event claim.
//
// One connection per call in flight (PostgreSQL runs one statement per
// connection at a time); all are driven by one poll() loop. Server CPU is
// that of the postmaster and all its children (the backends included).
#include <poll.h>
#include <postgresql/libpq-fe.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tools/bench/bench_result.h"
#include "tools/bench/closed_loop.h"
#include "tools/bench/dataset_layout.h"

ABSL_FLAG(std::string, conninfo, "", "libpq connection string. Required.");
ABSL_FLAG(int, server_pid, 0, "PID of the postmaster, for CPU.");
ABSL_FLAG(std::vector<std::string>, workloads,
          std::vector<std::string>({"append", "get", "asof", "timeline100"}),
          "Workloads to run, in order.");
ABSL_FLAG(std::vector<std::string>, in_flight,
          std::vector<std::string>({"1", "4", "16", "64", "256"}),
          "Concurrency levels to sweep.");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Warm-up per point.");
ABSL_FLAG(absl::Duration, window, absl::Seconds(3), "Measured window.");
ABSL_FLAG(int, claims, 1000, "Claims with 10 events (get, asof).");
ABSL_FLAG(int, timeline_claims, 20, "Claims with 100 events (timeline100).");
ABSL_FLAG(int, append_claims, 1000, "Claims appended to.");
ABSL_FLAG(int, payload_bytes, 1024, "Payload per event.");
ABSL_FLAG(bool, setup, true,
          "Create the table and its data first (dropping an old one). Off: "
          "they exist from an earlier run with the same sizes.");
ABSL_FLAG(bool, setup_only, false, "Create the table and data, and exit.");
ABSL_FLAG(std::string, json_out, "", "Write the JSON results here.");

namespace claimtrail {
namespace bench {
namespace {

// Prepared events are recorded one second apart from this instant; asof
// reads at 4.5 s, between the 5th and the 6th event.
constexpr char kEpoch[] = "2025-01-01 00:00:00+00";
constexpr char kAsOf[] = "2025-01-01 00:00:04.5+00";

struct Connection {
  PGconn* conn = nullptr;
  ~Connection() {
    if (conn != nullptr) PQfinish(conn);
  }
};

absl::Status Exec(PGconn* conn, const std::string& sql) {
  PGresult* result = PQexec(conn, sql.c_str());
  const ExecStatusType status = PQresultStatus(result);
  std::string error = PQresultErrorMessage(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return absl::InternalError(absl::StrCat(sql.substr(0, 60), "...: ", error));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> QueryOne(PGconn* conn, const std::string& sql) {
  PGresult* result = PQexec(conn, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) != 1) {
    std::string error = PQresultErrorMessage(result);
    PQclear(result);
    return absl::InternalError(absl::StrCat(sql, ": ", error));
  }
  std::string value = PQgetvalue(result, 0, 0);
  PQclear(result);
  return value;
}

// The schema and the read data; refuses a server without full durability,
// which would make the comparison unfair.
absl::Status Setup(PGconn* conn, int claims, int timeline_claims,
                   int payload_bytes) {
  for (const char* setting : {"fsync", "synchronous_commit"}) {
    absl::StatusOr<std::string> value =
        QueryOne(conn, absl::StrCat("SHOW ", setting));
    if (!value.ok()) return value.status();
    if (*value != "on") {
      return absl::FailedPreconditionError(
          absl::StrCat(setting, " is ", *value, "; the benchmark needs on"));
    }
  }
  const std::string payload = absl::StrFormat(
      "(SELECT string_agg(md5(random()::text || g::text), '') FROM "
      "generate_series(1, %d) g)",
      (payload_bytes + 31) / 32);
  const std::vector<std::string> statements = {
      "DROP TABLE IF EXISTS claim_event",
      "CREATE TABLE claim_event (seq bigserial PRIMARY KEY, claim_id text NOT "
      "NULL, recorded timestamptz NOT NULL DEFAULT clock_timestamp(), payload "
      "text NOT NULL)",
      absl::StrFormat(
          "INSERT INTO claim_event (claim_id, recorded, payload) SELECT "
          "'r-' || c, timestamptz '%s' + e * interval '1 second', "
          "left(%s || c || e, %d) FROM generate_series(0, %d) c, "
          "generate_series(0, 9) e ORDER BY c, e",
          kEpoch, payload, payload_bytes, claims - 1),
      absl::StrFormat(
          "INSERT INTO claim_event (claim_id, recorded, payload) SELECT "
          "'t-' || c, timestamptz '%s' + e * interval '1 second', "
          "left(%s || c || e, %d) FROM generate_series(0, %d) c, "
          "generate_series(0, 99) e ORDER BY c, e",
          kEpoch, payload, payload_bytes, timeline_claims - 1),
      "CREATE INDEX claim_event_claim ON claim_event (claim_id, seq)",
      "VACUUM ANALYZE claim_event",
      "CHECKPOINT",
  };
  for (const std::string& sql : statements) {
    absl::Status status = Exec(conn, sql);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

enum class Workload { kAppend, kGet, kAsOf, kTimeline100 };

struct Statement {
  const char* name;
  const char* sql;
  int params;
  int expected_rows;  // -1: a command, no rows.
};

const Statement& StatementOf(Workload workload) {
  static const Statement kStatements[] = {
      {"append", "INSERT INTO claim_event (claim_id, payload) VALUES ($1, $2)",
       2, -1},
      {"get",
       "SELECT seq, recorded, payload FROM claim_event WHERE claim_id = $1 "
       "ORDER BY seq DESC LIMIT 1",
       1, 1},
      {"asof",
       "SELECT seq, recorded, payload FROM claim_event WHERE claim_id = $1 "
       "AND recorded <= $2::timestamptz ORDER BY seq DESC LIMIT 1",
       2, 1},
      {"timeline100",
       "SELECT seq, recorded, payload FROM claim_event WHERE claim_id = $1 "
       "ORDER BY seq LIMIT 100",
       1, 100},
  };
  return kStatements[static_cast<int>(workload)];
}

absl::Status PrepareStatements(PGconn* conn) {
  for (Workload w : {Workload::kAppend, Workload::kGet, Workload::kAsOf,
                     Workload::kTimeline100}) {
    const Statement& statement = StatementOf(w);
    PGresult* result =
        PQprepare(conn, statement.name, statement.sql, statement.params, nullptr);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    std::string error = PQresultErrorMessage(result);
    PQclear(result);
    if (!ok) return absl::InternalError(absl::StrCat("prepare: ", error));
  }
  return absl::OkStatus();
}

struct Sizes {
  int claims;
  int timeline_claims;
  int append_claims;
  int payload_bytes;
};

// One slot of the closed loop: a connection and its current statement.
struct Slot {
  PGconn* conn = nullptr;
  int index = 0;
  Rng rng{0};
  int64_t start_ns = 0;
  bool running = false;
  bool needs_flush = false;
  // Of the statement in flight.
  bool failed = false;
  std::string error;
  int rows = 0;
  ExecStatusType status = PGRES_EMPTY_QUERY;
};

// Runs the poll() loop of one point until every slot has stopped.
void DrivePoint(std::vector<Slot>& slots, Workload workload, const Sizes& sizes,
                ClosedLoop& loop) {
  const Statement& statement = StatementOf(workload);
  auto issue = [&](Slot& slot) {
    std::string claim, second;
    switch (workload) {
      case Workload::kAppend:
        claim = absl::StrCat("w-", slot.rng.Below(sizes.append_claims));
        second = PayloadText(slot.rng.Next(), sizes.payload_bytes);
        break;
      case Workload::kGet:
        claim = absl::StrCat("r-", slot.rng.Below(sizes.claims));
        break;
      case Workload::kAsOf:
        claim = absl::StrCat("r-", slot.rng.Below(sizes.claims));
        second = kAsOf;
        break;
      case Workload::kTimeline100:
        claim = absl::StrCat("t-", slot.rng.Below(sizes.timeline_claims));
        break;
    }
    const char* values[2] = {claim.c_str(), second.c_str()};
    slot.failed = false;
    slot.error.clear();
    slot.rows = 0;
    slot.status = PGRES_EMPTY_QUERY;
    slot.start_ns = NowNs();
    if (PQsendQueryPrepared(slot.conn, statement.name, statement.params, values,
                            nullptr, nullptr, 0) != 1) {
      slot.failed = true;
      slot.error = PQerrorMessage(slot.conn);
      return false;
    }
    slot.needs_flush = PQflush(slot.conn) == 1;
    return true;
  };
  // Finishes `slot`'s statement: records it and starts the next, or stops.
  auto finish = [&](Slot& slot) {
    bool ok = !slot.failed;
    std::string error = slot.error;
    if (ok && statement.expected_rows < 0 && slot.status != PGRES_COMMAND_OK) {
      ok = false;
      error = "unexpected result status";
    }
    if (ok && statement.expected_rows >= 0 &&
        slot.rows != statement.expected_rows) {
      ok = false;
      error = absl::StrCat("expected ", statement.expected_rows, " rows, got ",
                           slot.rows);
    }
    bool more = loop.Complete(slot.index, slot.start_ns, ok, error);
    while (more) {
      if (issue(slot)) return;
      more = loop.Complete(slot.index, slot.start_ns, false, slot.error);
    }
    slot.running = false;
    loop.SlotStopped();
  };

  for (Slot& slot : slots) {
    slot.running = true;
    if (!issue(slot)) finish(slot);
  }
  std::vector<pollfd> fds;
  std::vector<Slot*> polled;
  while (true) {
    fds.clear();
    polled.clear();
    for (Slot& slot : slots) {
      if (!slot.running) continue;
      short events = POLLIN;
      if (slot.needs_flush) events |= POLLOUT;
      fds.push_back({PQsocket(slot.conn), events, 0});
      polled.push_back(&slot);
    }
    if (fds.empty()) return;
    if (poll(fds.data(), fds.size(), 100) <= 0) continue;
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      Slot& slot = *polled[i];
      if (slot.needs_flush) slot.needs_flush = PQflush(slot.conn) == 1;
      if (PQconsumeInput(slot.conn) != 1) {
        slot.failed = true;
        slot.error = PQerrorMessage(slot.conn);
        finish(slot);
        continue;
      }
      bool done = false;
      while (!PQisBusy(slot.conn)) {
        PGresult* result = PQgetResult(slot.conn);
        if (result == nullptr) {
          done = true;
          break;
        }
        slot.status = PQresultStatus(result);
        if (slot.status == PGRES_TUPLES_OK) {
          slot.rows = PQntuples(result);
        } else if (slot.status != PGRES_COMMAND_OK) {
          slot.failed = true;
          slot.error = PQresultErrorMessage(result);
        }
        PQclear(result);
      }
      if (done) finish(slot);
    }
  }
}

int Main() {
  const std::string conninfo = absl::GetFlag(FLAGS_conninfo);
  if (conninfo.empty()) {
    std::fprintf(stderr, "pg_load: --conninfo is required\n");
    return 1;
  }
  absl::StatusOr<std::vector<int>> levels =
      ParseLevels(absl::GetFlag(FLAGS_in_flight));
  if (!levels.ok()) {
    std::fprintf(stderr, "pg_load: %s\n", levels.status().ToString().c_str());
    return 1;
  }
  const Sizes sizes{absl::GetFlag(FLAGS_claims),
                    absl::GetFlag(FLAGS_timeline_claims),
                    absl::GetFlag(FLAGS_append_claims),
                    absl::GetFlag(FLAGS_payload_bytes)};
  const bool setup_only = absl::GetFlag(FLAGS_setup_only);
  const bool setup = absl::GetFlag(FLAGS_setup) || setup_only;
  int max_level = 1;
  if (!setup_only) {
    for (int level : *levels) max_level = std::max(max_level, level);
  }

  // Connections, opened once and reused by every point.
  std::vector<Connection> connections(max_level);
  for (int i = 0; i < max_level; ++i) {
    connections[i].conn = PQconnectdb(conninfo.c_str());
    if (PQstatus(connections[i].conn) != CONNECTION_OK) {
      std::fprintf(stderr, "pg_load: connection %d: %s", i,
                   PQerrorMessage(connections[i].conn));
      return 1;
    }
    if (i == 0 && setup) {
      const int64_t start = NowNs();
      absl::Status setup = Setup(connections[0].conn, sizes.claims,
                                 sizes.timeline_claims, sizes.payload_bytes);
      if (!setup.ok()) {
        std::fprintf(stderr, "pg_load: setup: %s\n", setup.ToString().c_str());
        return 1;
      }
      std::fprintf(stderr, "pg_load: prepared %d x 10 + %d x 100 events in %.1f s\n",
                   sizes.claims, sizes.timeline_claims, (NowNs() - start) / 1e9);
    }
    absl::Status prepared = PrepareStatements(connections[i].conn);
    if (!prepared.ok()) {
      std::fprintf(stderr, "pg_load: %s\n", prepared.ToString().c_str());
      return 1;
    }
    PQsetnonblocking(connections[i].conn, 1);
  }
  if (setup_only) return 0;

  Window window;
  window.warmup = absl::GetFlag(FLAGS_warmup);
  window.measure = absl::GetFlag(FLAGS_window);
  const int server_pid = absl::GetFlag(FLAGS_server_pid);
  std::vector<PointResult> points;
  std::fprintf(stderr, "%s\n", TableHeader().c_str());
  for (const std::string& name : absl::GetFlag(FLAGS_workloads)) {
    Workload workload;
    if (name == "append") {
      workload = Workload::kAppend;
    } else if (name == "get") {
      workload = Workload::kGet;
    } else if (name == "asof") {
      workload = Workload::kAsOf;
    } else if (name == "timeline100") {
      workload = Workload::kTimeline100;
    } else {
      std::fprintf(stderr, "pg_load: unknown workload \"%s\"\n", name.c_str());
      return 1;
    }
    for (int level : *levels) {
      std::vector<Slot> slots(level);
      for (int i = 0; i < level; ++i) {
        slots[i].conn = connections[i].conn;
        slots[i].index = i;
        slots[i].rng = Rng(0x9E37ULL * (i + 1) + NowNs());
      }
      std::thread driver;
      PointResult point = MeasurePoint(
          "postgresql", name, level, window, server_pid, [&](ClosedLoop& loop) {
            driver = std::thread(
                [&slots, workload, &sizes, &loop] {
                  DrivePoint(slots, workload, sizes, loop);
                });
          });
      driver.join();
      // The RSS of a multi-process server with shared memory is not one
      // number; leave it out rather than report the postmaster's alone.
      point.server_rss_mb.reset();
      point.server_peak_rss_mb.reset();
      point.server_rss_anon_mb.reset();
      point.server_rss_file_mb.reset();
      std::fprintf(stderr, "%s\n", FormatRow(point).c_str());
      if (point.errors > 0) {
        std::fprintf(stderr, "  first error: %s\n", point.first_error.c_str());
      }
      points.push_back(std::move(point));
    }
  }
  nlohmann::ordered_json meta;
  meta["warmup_s"] = absl::ToDoubleSeconds(window.warmup);
  meta["window_s"] = absl::ToDoubleSeconds(window.measure);
  meta["claims"] = sizes.claims;
  meta["payload_bytes"] = sizes.payload_bytes;
  meta["server_version"] = PQserverVersion(connections[0].conn);
  return FinishRun("pg_load", "postgresql", points, meta,
                   absl::GetFlag(FLAGS_json_out));
}

}  // namespace
}  // namespace bench
}  // namespace claimtrail

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Closed-loop load on PostgreSQL; see tools/bench/pg/pg_load_main.cc.");
  absl::ParseCommandLine(argc, argv);
  return claimtrail::bench::Main();
}
