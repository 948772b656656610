#!/usr/bin/env python3
"""Puts benchmark result documents side by side: table, ratios, targets.

    report.py [--json_out=FILE] [--note=TEXT] RESULT.json...

Each RESULT.json is a document written by load_generator, etcd_load,
pg_load or fsync_probe (tools/bench/bench_result.h): {"system", "skipped"?,
"points": [...], "meta"}. Prints

  1. every point (QPS, latency percentiles, server CPU per 1,000 ops);
  2. QPS ratios per in-flight level: claimtrail / empty call (gRPC health
     Check on the same server), / durable floor (append only: gRPC and a
     synced LevelDB write, nothing else; tools/bench/floor), / etcd,
     / PostgreSQL;
  3. the targets of issue 5 that these points can decide, met or missed,
     with the numbers.

and writes all of it as one JSON document with --json_out. Missing files
and skipped systems are reported, never invented. Python 3 standard library
only.
"""

import argparse
import datetime
import json
import os
import sys

IN_FLIGHT_LEVELS = (1, 4, 16, 64, 256)
HIGH_CONCURRENCY = (64, 256)

# (claimtrail workload, [(baseline system, baseline workload, label)]).
RATIOS = [
    ("append", [("claimtrail", "health", "empty call"),
                ("floor", "append", "durable floor"),
                ("etcd", "put", "etcd put"),
                ("postgresql", "append", "PostgreSQL insert")]),
    ("get", [("claimtrail", "health", "empty call"),
             ("etcd", "get", "etcd get"),
             ("postgresql", "get", "PostgreSQL latest row")]),
    ("asof", [("claimtrail", "health", "empty call"),
              ("etcd", "range_at_revision", "etcd range@rev"),
              ("postgresql", "asof", "PostgreSQL as-of row")]),
    ("timeline10", [("claimtrail", "health", "empty call")]),
    ("timeline100", [("claimtrail", "health", "empty call"),
                     ("postgresql", "timeline100", "PostgreSQL 100 rows")]),
    ("search_source", [("claimtrail", "health", "empty call")]),
    ("search_state", [("claimtrail", "health", "empty call")]),
    ("mix", [("claimtrail", "health", "empty call")]),
]
# run.sh --baseline-server: the same workloads on another claimtraild build
# (e.g. the last release), measured right after this build's at each level.
BASELINE_BUILD = "claimtrail@baseline"
for _workload, _baselines in RATIOS:
    _baselines.append((BASELINE_BUILD, _workload, "baseline build"))


def load(paths):
    docs, problems = [], []
    for path in paths:
        if not os.path.exists(path):
            problems.append(f"{path}: missing")
            continue
        try:
            with open(path) as f:
                docs.append(json.load(f))
        except (OSError, ValueError) as e:
            problems.append(f"{path}: {e}")
    return docs, problems


def index_points(docs):
    points = {}
    for doc in docs:
        for p in doc.get("points", []):
            points[(p["system"], p["workload"], p["in_flight"])] = p
    return points


def fmt_ms(us):
    return f"{us / 1000:.3f}"


def points_table(docs):
    """Every point, grouped by system and workload (in the order they first
    appear), then by concurrency; one line per skipped system."""
    header = (f"{'system':<16} {'workload':<19} {'infl':>5} {'qps':>10} "
              f"{'p50 ms':>9} {'p99 ms':>9} {'p99.9 ms':>9} "
              f"{'srvCPU s/kop':>12} {'errors':>7}")
    order, rows, skipped = {}, [], []
    for doc in docs:
        if doc.get("skipped"):
            skipped.append(f"{doc['system']:<16} SKIPPED: {doc['skipped']}")
        for p in doc.get("points", []):
            order.setdefault(p["system"], len(order))
            order.setdefault((p["system"], p["workload"]), len(order))
            rows.append(p)
    rows.sort(key=lambda p: (order[p["system"]],
                             order[(p["system"], p["workload"])], p["in_flight"]))
    lines = [header]
    for p in rows:
        cpu = p.get("server_cpu_s_per_kop")
        cpu_text = "-" if cpu is None else f"{cpu:.3f}"
        lat = p["latency_us"]
        lines.append(
            f"{p['system']:<16} {p['workload']:<19} {p['in_flight']:>5} "
            f"{p['qps']:>10.0f} {fmt_ms(lat['p50']):>9} "
            f"{fmt_ms(lat['p99']):>9} {fmt_ms(lat['p999']):>9} "
            f"{cpu_text:>12} {p['errors']:>7}")
        if p.get("first_error"):
            lines.append(f"{'':<16}   first error: {p['first_error']}")
    return lines + skipped


def markdown(docs, rows, levels, target_list, note):
    """The same three sections as Markdown tables, for docs/BENCHMARKS.md."""
    out = []
    if note:
        out += [f"_{note}_", ""]
    out += ["| system | workload | in flight | QPS | p50 ms | p99 ms | p99.9 ms "
            "| server CPU s / 1k ops | errors |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|"]
    for line in points_table(docs)[1:]:
        if "SKIPPED:" in line:
            system, reason = line.split("SKIPPED:", 1)
            out.append(f"| {system.strip()} | skipped: {reason.strip()} |||||||| |")
            continue
        if "first error:" in line:
            out.append(f"| | {line.strip()} |||||||| |")
            continue
        cells = line.split()
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "| claimtrail ÷ baseline (QPS) | " +
            " | ".join(f"{n} in flight" for n in levels) + " |",
            "|---|" + "--:|" * len(levels)]
    for row in rows:
        cells = ["-" if row["ratios"][str(n)] is None
                 else f"{row['ratios'][str(n)]:.2f}" for n in levels]
        out.append(f"| {row['claimtrail']} ÷ {row['baseline']} | "
                   + " | ".join(cells) + " |")
    out += ["", "| target | status | measured |", "|---|---|---|"]
    for t in target_list:
        out.append(f"| {t['target']} | **{t['status']}** | {t['detail']} |")
    return out


def qps_ratio(points, a, b):
    pa, pb = points.get(a), points.get(b)
    if not pa or not pb or pb["qps"] <= 0:
        return None
    return pa["qps"] / pb["qps"]


def ratio_rows(points, levels):
    rows = []
    for workload, baselines in RATIOS:
        for system, base_workload, label in baselines:
            values = [qps_ratio(points, ("claimtrail", workload, n),
                                (system, base_workload, n)) for n in levels]
            if all(v is None for v in values):
                continue
            rows.append({"claimtrail": workload, "baseline": label,
                         "baseline_system": system,
                         "baseline_workload": base_workload,
                         "ratios": {str(n): (None if v is None else round(v, 3))
                                    for n, v in zip(levels, values)}})
    return rows


def ratio_table(rows, levels):
    header = f"{'claimtrail ÷ baseline (QPS)':<44}" + "".join(
        f"{n:>8}" for n in levels)
    lines = [header]
    for row in rows:
        name = f"{row['claimtrail']} ÷ {row['baseline']}"
        cells = "".join(
            f"{'-' if row['ratios'][str(n)] is None else format(row['ratios'][str(n)], '.2f'):>8}"
            for n in levels)
        lines.append(f"{name:<44}{cells}")
    return lines


def qps_target(points, name, workload, base, factor, floor=False):
    """claimtrail `workload` QPS >= factor x `base` QPS at 64 and 256.

    With `floor`, each level's detail also gives the durable floor's QPS as
    a multiple of `base`'s: what no server on gRPC and LevelDB can exceed.
    """
    details, met, known = [], True, True
    for n in HIGH_CONCURRENCY:
        ct = points.get(("claimtrail", workload, n))
        bp = points.get((base[0], base[1], n))
        if not ct or not bp:
            known = False
            details.append(f"{n} in flight: not measured")
            continue
        ratio = ct["qps"] / bp["qps"] if bp["qps"] > 0 else float("inf")
        ok = ratio >= factor and ct["errors"] == 0
        met = met and ok
        detail = f"{n} in flight: {ct['qps']:.0f} vs {bp['qps']:.0f} QPS = {ratio:.2f}x"
        fp = points.get(("floor", "append", n)) if floor else None
        if fp and bp["qps"] > 0:
            detail += f" (durable floor {fp['qps']:.0f} = {fp['qps'] / bp['qps']:.2f}x)"
        details.append(detail)
    return {"target": name, "status": "met" if known and met else
            ("missed" if known else "not measured"), "detail": "; ".join(details)}


def targets(points, docs):
    out = []
    out.append(qps_target(points,
                          "durable append >= 80% of empty-call QPS (64-256 in flight)",
                          "append", ("claimtrail", "health"), 0.8))
    out.append(qps_target(points, "durable append >= 2x etcd put (64-256)",
                          "append", ("etcd", "put"), 2.0, floor=True))
    out.append(qps_target(points, "durable append >= 8x PostgreSQL (64-256)",
                          "append", ("postgresql", "append"), 8.0, floor=True))

    # Latency at 1 in flight against the physical floor: the disk probe run
    # right before claimtrail's points at 1 in flight (run.sh labels it
    # disk@1).
    append1 = points.get(("claimtrail", "append", 1))
    health1 = points.get(("claimtrail", "health", 1))
    disk = next((points[k] for k in (("disk@1", "append_fdatasync", 1),
                                     ("disk@claimtrail", "append_fdatasync", 1),
                                     ("disk", "append_fdatasync", 1))
                 if k in points), None)
    name = "append p50 at 1 in flight <= fsync p50 + 1.5 x empty-call p50"
    if append1 and health1 and disk:
        bound = disk["latency_us"]["p50"] + 1.5 * health1["latency_us"]["p50"]
        actual = append1["latency_us"]["p50"]
        detail = (f"{actual / 1000:.3f} ms vs bound {bound / 1000:.3f} ms "
                  f"(fdatasync p50 {disk['latency_us']['p50'] / 1000:.3f} ms, "
                  f"empty call p50 {health1['latency_us']['p50'] / 1000:.3f} ms")
        floor1 = points.get(("floor", "append", 1))
        if floor1:
            detail += f"; durable floor p50 {floor1['latency_us']['p50'] / 1000:.3f} ms"
        out.append({"target": name,
                    "status": "met" if actual <= bound else "missed",
                    "detail": detail + ")"})
    else:
        out.append({"target": name, "status": "not measured", "detail": ""})

    for workload in ("get", "asof", "timeline100"):
        out.append(qps_target(points,
                              f"{workload} >= 80% of empty-call QPS (64-256 in flight)",
                              workload, ("claimtrail", "health"), 0.8))

    t100 = points.get(("claimtrail", "timeline100", 1))
    name = "timeline(100) p99 <= 1 ms at 1 in flight"
    if t100:
        p99 = t100["latency_us"]["p99"]
        out.append({"target": name, "status": "met" if p99 <= 1000 else "missed",
                    "detail": f"p99 {p99 / 1000:.3f} ms"})
    else:
        out.append({"target": name, "status": "not measured", "detail": ""})

    # Scale targets come from tools/bench/scale.sh documents when given.
    scale = [d for d in docs if d.get("system") == "claimtrail-scale"]
    if scale:
        out.extend(scale[0].get("meta", {}).get("targets", []))
    else:
        for name in ("10M events: server RSS <= 256 MB",
                     "10M events: restart to SERVING <= 2 s",
                     "10M events: latencies within 1.2x of 10k events",
                     "1M claims: indexed search page of 50 p99 <= 2 ms"):
            out.append({"target": name, "status": "not measured",
                        "detail": "scale run: tools/bench/scale.sh"})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json_out", default="")
    parser.add_argument("--note", default="")
    parser.add_argument("--markdown", action="store_true",
                        help="print Markdown tables instead of text")
    parser.add_argument("results", nargs="+")
    args = parser.parse_args()

    docs, problems = load(args.results)
    points = index_points(docs)
    levels = sorted({k[2] for k in points if k[0] == "claimtrail"}) or \
        list(IN_FLIGHT_LEVELS)
    rows = ratio_rows(points, levels)
    target_list = targets(points, docs)

    if args.markdown:
        print("\n".join(markdown(docs, rows, levels, target_list, args.note)))
        return 0

    out = []
    if args.note:
        out.append(args.note)
        out.append("")
    out.extend(points_table(docs))
    out.append("")
    out.extend(ratio_table(rows, levels))
    out.append("")
    out.append("Targets (issue 5):")
    for t in target_list:
        out.append(f"  [{t['status'].upper():>12}] {t['target']}"
                   + (f": {t['detail']}" if t["detail"] else ""))
    for p in problems:
        out.append(f"note: {p}")
    print("\n".join(out))

    if args.json_out:
        result = {
            "generated": datetime.datetime.now(datetime.timezone.utc)
            .strftime("%Y-%m-%dT%H:%M:%SZ"),
            "note": args.note,
            "documents": docs,
            "ratios": rows,
            "targets": target_list,
            "problems": problems,
        }
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
