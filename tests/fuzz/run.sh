#!/bin/bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# against the same sources and system libraries as the Bazel build, and runs
# each for a bounded time from its seed corpus.
#
#   tests/fuzz/run.sh [--seconds=30] [--out=DIR] [TARGET...]
#
# TARGETs: validation_fuzzer page_token_fuzzer fold_fuzzer
# wire_diagnosis_fuzzer (default: all).
# Prints one line per target, then a summary:
#   FUZZ validation_fuzzer: PASS (123456 executions in 30 s, 789 corpus units)
#   FUZZ page_token_fuzzer: FAIL (crash; input saved as DIR/crash-...)
#   fuzz: 3 passed, 0 failed
# Without clang++-14 it prints "fuzz: SKIPPED (clang++-14 not installed)" and
# exits 0. Exit 1 if any target failed to build or found a crash.
# Generated .pb.cc files come from `bazel build` of the proto genrules.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

SECONDS_PER_TARGET=30
OUT="${TMPDIR:-/tmp}/claimtrail-fuzz"
TARGETS=()
for arg in "$@"; do
  case "$arg" in
    --seconds=*) SECONDS_PER_TARGET="${arg#*=}" ;;
    --out=*) OUT="${arg#*=}" ;;
    -*) echo "run.sh: unknown flag $arg" >&2; exit 2 ;;
    *) TARGETS+=("$arg") ;;
  esac
done
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(validation_fuzzer page_token_fuzzer fold_fuzzer wire_diagnosis_fuzzer)

CXX=clang++-14
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "fuzz: SKIPPED ($CXX not installed)"
  exit 0
fi

# The generated protobuf sources, from the same genrules Bazel uses.
bazel build //proto/claimtrail/v1:resources_cc_proto_gen \
  //proto/claimtrail/v1:service_cc_proto_gen //server/core:internal_cc_proto_gen \
  >"$OUT.bazel.log" 2>&1 || { cat "$OUT.bazel.log" >&2; echo "fuzz: 0 passed, ${#TARGETS[@]} failed (bazel build of protos)"; exit 1; }
GEN=$(bazel info bazel-bin 2>/dev/null)

mkdir -p "$OUT/obj"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CXXFLAGS="-std=c++17 -O1 -g -fno-omit-frame-pointer $SAN -I$ROOT -I$GEN -Wno-unused-command-line-argument"
# Link flags of //third_party:protobuf and :absl (see third_party/BUILD).
ABSL_LIBS=$(sed -n '/name = "absl",/,/^)/p' third_party/BUILD | grep -o '"-l[^"]*"' | tr -d '"' | tr '\n' ' ')
LIBS="-lprotobuf $ABSL_LIBS"

declare -A SOURCES=(
  [validation_fuzzer]="server/core/validation.cc server/core/diff.cc server/core/render.cc $GEN/proto/claimtrail/v1/resources.pb.cc $GEN/proto/claimtrail/v1/service.pb.cc"
  [page_token_fuzzer]="server/core/page_token.cc server/core/idempotency.cc $GEN/server/core/internal.pb.cc $GEN/proto/claimtrail/v1/resources.pb.cc"
  [wire_diagnosis_fuzzer]="server/service/wire_diagnosis.cc $GEN/proto/claimtrail/v1/resources.pb.cc $GEN/proto/claimtrail/v1/service.pb.cc"
  [fold_fuzzer]="server/core/fold.cc server/core/state_rules.cc server/core/diff.cc server/core/render.cc $GEN/proto/claimtrail/v1/resources.pb.cc $GEN/proto/claimtrail/v1/service.pb.cc"
)

# Compiles $1 (a .cc) once into $OUT/obj; echoes the object path.
compile() {
  local src="$1"
  local obj="$OUT/obj/$(echo "$src" | sed "s|^$GEN/||; s|/|_|g").o"
  if [[ ! -f "$obj" || "$src" -nt "$obj" ]]; then
    $CXX $CXXFLAGS -fsanitize=fuzzer-no-link -c "$src" -o "$obj" 2>>"$OUT/build.log" || return 1
  fi
  echo "$obj"
}

passed=0
failed=0
: >"$OUT/build.log"
for target in "${TARGETS[@]}"; do
  objs=()
  ok=1
  for src in ${SOURCES[$target]} "tests/fuzz/$target.cc"; do
    obj=$(compile "$src") || { ok=0; break; }
    objs+=("$obj")
  done
  binary="$OUT/$target"
  if [[ $ok -eq 1 ]]; then
    $CXX $CXXFLAGS -fsanitize=fuzzer "${objs[@]}" $LIBS -o "$binary" 2>>"$OUT/build.log" || ok=0
  fi
  if [[ $ok -ne 1 ]]; then
    echo "FUZZ $target: FAIL (build; see $OUT/build.log)"
    tail -n 20 "$OUT/build.log" >&2
    failed=$((failed + 1))
    continue
  fi
  work="$OUT/corpus/$target"
  mkdir -p "$work" "$OUT/artifacts/$target"
  log="$OUT/$target.log"
  "$binary" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
    -artifact_prefix="$OUT/artifacts/$target/" -rss_limit_mb=2048 \
    "$work" "tests/fuzz/corpus/$target" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  units=$(ls "$work" | wc -l)
  if [[ $rc -eq 0 ]]; then
    echo "FUZZ $target: PASS (${execs:-?} executions in $SECONDS_PER_TARGET s, $units new corpus units)"
    passed=$((passed + 1))
  else
    artifact=$(ls -t "$OUT/artifacts/$target" 2>/dev/null | head -n 1)
    echo "FUZZ $target: FAIL (exit $rc; input saved as $OUT/artifacts/$target/$artifact; log $log)"
    grep -m 5 -E "FUZZ_CHECK|ERROR: |runtime error" "$log" >&2
    failed=$((failed + 1))
  fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
