#!/usr/bin/env bash
# Runs YCSB workloads against DynamoDB Local and Cairn, one after the other on this machine, and
# writes throughput, latency percentiles and server CPU per 1,000 operations to a markdown report.
#
#   bench/run-ycsb.sh [--targets "dynamodb-local cairn cairn-cluster"] [--records 100000] [--threads 16]
#                     [--warmup-s 30] [--duration-s 120] [--workloads "a c"]
#                     [--local-storage memory|disk] [--consistent-reads] [--out docs/benchmarks.md]
#
# A quick smoke run (about a minute):
#   bench/run-ycsb.sh --targets dynamodb-local --records 5000 --warmup-s 5 --duration-s 15 --out bench/results/smoke.md
#
# DynamoDB Local runs -inMemory by default: its on-disk SQLite mode manages only ~100 writes/s here
# (a 100,000-record load would take a quarter of an hour), and in-memory is its fastest mode, so
# the comparison favours DynamoDB Local. --local-storage disk measures the persistent mode.
#
# cairn-cluster is a 3-AZ local cluster (bin/cairn cluster start: 3 metadata members, 3 storage
# nodes, 2 routers; every write replicated to 2 of 3 through Ratis); YCSB's threads are spread over
# both routers, and server CPU is the sum over every process of the cluster.
#
# Records are 1 KB (10 fields of 100 bytes). For each target: start the server with a fresh data
# directory, create the table, load, then per workload a warm-up run followed by the measured run.
# Server CPU is utime+stime of the server process from /proc/<pid>/stat around the measured run.
# Raw YCSB output is kept under bench/results/<timestamp>/ (not committed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGETS="dynamodb-local cairn"
RECORDS=100000
THREADS=16
WARMUP_S=30
DURATION_S=120
WORKLOADS="a c"
LOCAL_STORAGE=memory
CONSISTENT_READS=false
OUT="$ROOT/docs/benchmarks.md"
TABLE=usertable
FIELD_COUNT=10
FIELD_LENGTH=100
ORIGINAL_COMMAND="bench/run-ycsb.sh $*"

while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --warmup-s) WARMUP_S="$2"; shift 2 ;;
    --duration-s) DURATION_S="$2"; shift 2 ;;
    --workloads) WORKLOADS="$2"; shift 2 ;;
    --local-storage) LOCAL_STORAGE="$2"; shift 2 ;;
    --consistent-reads) CONSISTENT_READS=true; shift ;;
    --out) OUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-ycsb: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac

die() { echo "run-ycsb: $*" >&2; exit 1; }

# ---------------------------------------------------------------- JDK and build
if [ -z "${JAVA_HOME:-}" ]; then
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    if [ -x "$d/bin/javac" ]; then JAVA_HOME="${d%/}"; break; fi
  done
fi
[ -x "${JAVA_HOME:-}/bin/java" ] || die "set JAVA_HOME to a JDK 21+"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

echo "run-ycsb: building the YCSB binding and the DynamoDB Local class path" >&2
(cd "$ROOT" && ./mvnw -B -q -pl cairn-it,bench/ycsb-dynamodb -Dmaven.test.skip=true package) || die "build failed"
BENCH_CP="$ROOT/bench/ycsb-dynamodb/target/classes:$ROOT/bench/ycsb-dynamodb/target/lib/*"
DDBL_HOME="$ROOT/cairn-it/target/dynamodb-local"
[ -f "$DDBL_HOME/classpath.txt" ] || die "missing $DDBL_HOME/classpath.txt"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$ROOT/bench/results/$STAMP"
mkdir -p "$RESULTS"
SUMMARY="$RESULTS/summary.tsv"
: >"$SUMMARY"
CLK_TCK="$(getconf CLK_TCK)"

SERVER_PID=""
SERVER_DATA=""
CLUSTER_DIR=""
stop_server() {
  if [ -n "$CLUSTER_DIR" ]; then
    "$ROOT/bin/cairn" cluster stop --dir "$CLUSTER_DIR" >&2 || true
    CLUSTER_DIR=""
  fi
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
  [ -n "$SERVER_DATA" ] && rm -rf "$SERVER_DATA"
  SERVER_DATA=""
}
trap stop_server EXIT

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port"
}

wait_port() { # wait_port PORT LOG
  for _ in $(seq 1 600); do
    if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$2" >&2; die "server exited before listening"; }
    sleep 0.2
  done
  tail -30 "$2" >&2
  die "server not listening on $1 after 120 s"
}

cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }

server_cpu_ticks() { # the server's, or the sum over the cluster's processes
  if [ -n "$CLUSTER_DIR" ]; then
    local total=0 pid
    for f in "$CLUSTER_DIR"/*.pid; do
      pid="$(cat "$f")"
      [ -r "/proc/$pid/stat" ] && total=$((total + $(cpu_ticks "$pid")))
    done
    echo "$total"
  else
    cpu_ticks "$SERVER_PID"
  fi
}

declare -A SERVER_COMMAND
start_server() { # start_server TARGET PORT LOG
  local target="$1" port="$2" log="$3"
  SERVER_DATA="$(mktemp -d "${TMPDIR:-/tmp}/cairn-bench-$target.XXXXXX")"
  case "$target" in
    dynamodb-local)
      local storage=(-inMemory) shown="-inMemory"
      if [ "$LOCAL_STORAGE" = disk ]; then storage=(-dbPath "$SERVER_DATA"); shown="-dbPath <fresh temp dir>"; fi
      SERVER_COMMAND[$target]="java -Xms2g -Xmx2g -cp <DynamoDBLocal 2.6.1 class path> com.amazonaws.services.dynamodbv2.local.main.ServerRunner $shown -port PORT"
      "$JAVA" -Xms2g -Xmx2g -Dsqlite4java.library.path="$DDBL_HOME/native" -cp "$(cat "$DDBL_HOME/classpath.txt")" \
        com.amazonaws.services.dynamodbv2.local.main.ServerRunner "${storage[@]}" -port "$port" >"$log" 2>&1 &
      SERVER_PID=$!
      ;;
    cairn)
      SERVER_COMMAND[$target]="bin/cairn start --port PORT --data-dir <fresh temp dir>"
      # bin/cairn execs the JVM, so $! is the server process itself.
      "$ROOT/bin/cairn" start --port "$port" --data-dir "$SERVER_DATA" >"$log" 2>&1 &
      SERVER_PID=$!
      ;;
    cairn-cluster)
      SERVER_COMMAND[$target]="bin/cairn cluster start --dir <fresh temp dir> --router-port PORT (3 AZs, 1 storage node per AZ, 2 routers; table provisioned 9000 RCU / 3000 WCU = 6 partitions)"
      CLUSTER_DIR="$SERVER_DATA/cluster"
      "$ROOT/bin/cairn" cluster start --dir "$CLUSTER_DIR" --router-port "$port" --dns-port "$(free_port)" >"$log" 2>&1 \
        || { tail -30 "$log" >&2; die "cluster did not start"; }
      ENDPOINT="http://127.0.1.1:$port,http://127.0.1.2:$port"
      return
      ;;
    *) die "unknown target $target (use dynamodb-local, cairn or cairn-cluster)" ;;
  esac
  wait_port "$port" "$log"
}

ycsb() { # ycsb OUTPUT_FILE ARGS...
  local out="$1"; shift
  "$JAVA" -Xmx2g -cp "$BENCH_CP" site.ycsb.Client -db io.cairn.bench.ycsb.DynamoDbBinding \
    -p table="$TABLE" -p recordcount="$RECORDS" -p fieldcount="$FIELD_COUNT" -p fieldlength="$FIELD_LENGTH" \
    -p measurementtype=hdrhistogram -p hdrhistogram.percentiles=50,99,99.9 \
    -p dynamodb.endpoint="$ENDPOINT" -p dynamodb.maxConnections=$((THREADS * 2)) -p dynamodb.consistentReads="$CONSISTENT_READS" \
    -threads "$THREADS" "$@" >"$out" 2>"$out.stderr" || { tail -20 "$out.stderr" >&2; die "YCSB failed, see $out.stderr"; }
  grep -q '^\[OVERALL\], Throughput' "$out" || die "no YCSB summary in $out"
}

for target in $TARGETS; do
  port="$(free_port)"
  ENDPOINT="http://127.0.0.1:$port"
  echo "run-ycsb: $target on $ENDPOINT" >&2
  start_server "$target" "$port" "$RESULTS/$target-server.log"
  table_options=()
  # A cluster's table gets 6 partitions (3,000 RCU + 3,000 WCU at 3,000/1,000 per partition), so
  # their leaders spread over the 3 storage nodes; throughput is recorded, not enforced.
  [ "$target" = cairn-cluster ] && table_options=(-Dcairn.bench.provisioned=9000,3000)
  "$JAVA" "${table_options[@]}" -cp "$BENCH_CP" io.cairn.bench.ycsb.CreateTable "${ENDPOINT%%,*}" "$TABLE" >&2
  echo "run-ycsb: $target: loading $RECORDS records" >&2
  ycsb "$RESULTS/$target-load.txt" -load -P "$ROOT/bench/workloads/workloada" -p operationcount="$RECORDS"
  grep -E '^\[(OVERALL|INSERT)\], (RunTime|Throughput|Operations|Return=)' "$RESULTS/$target-load.txt" >&2 || true
  for w in $WORKLOADS; do
    wl="$ROOT/bench/workloads/workload$w"
    [ -f "$wl" ] || die "no workload file $wl"
    echo "run-ycsb: $target workload $w: warm-up ${WARMUP_S}s" >&2
    ycsb "$RESULTS/$target-$w-warmup.txt" -t -P "$wl" -p operationcount=2000000000 -p maxexecutiontime="$WARMUP_S"
    echo "run-ycsb: $target workload $w: measuring ${DURATION_S}s" >&2
    before="$(server_cpu_ticks)"
    ycsb "$RESULTS/$target-$w.txt" -t -P "$wl" -p operationcount=2000000000 -p maxexecutiontime="$DURATION_S"
    after="$(server_cpu_ticks)"
    cpu_s="$(awk -v a="$after" -v b="$before" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (a - b) / t }')"
    printf '%s\t%s\t%s\t%s\n' "$target" "$w" "$cpu_s" "$RESULTS/$target-$w.txt" >>"$SUMMARY"
    grep -E '^\[(OVERALL|READ|UPDATE)\], (Throughput|Operations|99thPercentile)' "$RESULTS/$target-$w.txt" >&2 || true
  done
  stop_server
done

# ---------------------------------------------------------------- report
MODEL="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
MEM="$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
JDK="$("$JAVA" -version 2>&1 | head -1)"
mkdir -p "$(dirname "$OUT")"
python3 - "$SUMMARY" "$OUT" <<PY
import re, sys
summary, out = sys.argv[1], sys.argv[2]
rows = []
for line in open(summary):
    target, workload, cpu_s, path = line.rstrip("\n").split("\t")
    stats = {}
    for l in open(path):
        m = re.match(r"^\[([A-Z-]+)\], ([^,]+), (.+)$", l.strip())
        if m:
            stats[(m.group(1), m.group(2))] = m.group(3)
    throughput = float(stats[("OVERALL", "Throughput(ops/sec)")])
    runtime_s = float(stats[("OVERALL", "RunTime(ms)")]) / 1000
    ops_total = sum(int(v) for (op, k), v in stats.items() if k == "Operations" and op in ("READ", "UPDATE", "INSERT", "SCAN"))
    cpu_per_kop = float(cpu_s) / (ops_total / 1000) if ops_total else float("nan")
    for op in ("READ", "UPDATE"):
        if (op, "Operations") not in stats:
            continue
        def ms(label):
            v = stats.get((op, label))
            return f"{float(v) / 1000:.2f}" if v is not None else "n/a"
        errors = sum(int(v) for (o, k), v in stats.items() if o == op and k.startswith("Return=") and k != "Return=OK")
        rows.append(f"| {workload.upper()} | {target} | {throughput:,.0f} | {op} | {int(stats[(op, 'Operations')]):,} | {errors} "
                    f"| {ms('50thPercentileLatency(us)')} | {ms('99thPercentileLatency(us)')} | {ms('99.9PercentileLatency(us)')} "
                    f"| {float(cpu_s):.1f} | {cpu_per_kop:.3f} |")
# Everything after the marker (other runs' sections, written by hand from their commands) survives.
MARKER = "<!-- end of the report written by bench/run-ycsb.sh; what follows is kept across runs -->"
kept = ""
try:
    previous = open(out).read()
    if MARKER in previous:
        kept = previous[previous.index(MARKER):]
except FileNotFoundError:
    pass
with open(out, "w") as f:
    f.write("""# Benchmarks

YCSB (site.ycsb core 0.17.0 with Cairn's own DynamoDB binding, \`bench/ycsb-dynamodb\`) against each
server, one after the other on the same machine. The report down to the marker line is written by
\`bench/run-ycsb.sh\`; the sections after it record other runs, each with the command that produced it.

- Command: \`$ORIGINAL_COMMAND\`
- Date: $STAMP
- Machine: $(nproc) CPUs ($MODEL), $MEM memory; $JDK
- Records: $RECORDS of $FIELD_COUNT fields x $FIELD_LENGTH bytes; $THREADS client threads; warm-up ${WARMUP_S} s, then ${DURATION_S} s measured; strongly consistent reads: $CONSISTENT_READS
- Latency: YCSB hdrhistogram measurement, milliseconds, client side. CPU: server process utime+stime over the measured run.
- DynamoDB Local: \`${SERVER_COMMAND[dynamodb-local]:-not run}\` (storage: $LOCAL_STORAGE)
- Cairn: \`${SERVER_COMMAND[cairn]:-not run}\`
- Cairn cluster: \`${SERVER_COMMAND[cairn-cluster]:-not run}\`
- Client and server share the machine's CPUs, so a server's throughput is bounded by what the client leaves it.

| Workload | Target | Throughput (ops/s) | Operation | Operations | Errors | p50 (ms) | p99 (ms) | p99.9 (ms) | Server CPU (s) | Server CPU s / 1,000 ops |
|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|
""")
    f.write("\n".join(rows) + "\n")
    f.write("\n" + (kept if kept else MARKER + "\n"))
print(open(out).read())
PY
echo "run-ycsb: report written to $OUT; raw output in $RESULTS" >&2
