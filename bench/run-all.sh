#!/usr/bin/env bash
# Runs every kworker benchmark one after the other and writes docs/results/*.json,
# docs/results/table.md and docs/performance.png. About 20 minutes on a 2-core machine.
#   bash bench/run-all.sh            # everything
#   bash bench/run-all.sh chart      # only redraw the chart and table from docs/results/*.json
# Each benchmark writes into a scratch folder; its files replace those in docs/results only once it has
# finished, so an interrupted run leaves every committed file whole.
set -euo pipefail
cd "$(dirname "$0")/.."
R=docs/results
mkdir -p "$R" target
T=$(mktemp -d target/bench-run.XXXXXX)
MVN="mvn -B -q -Pjmh"
# Maven writes terminal resets (ESC[0m) even in batch mode: keep them out of the results
plain() { sed -u 's/\x1b\[[0-9;]*[A-Za-z]//g'; }
# publish FILE...: moves finished results from the scratch folder into docs/results
publish() { for f in "$@"; do mv "$T/$f" "$R/$f"; done; }
bench() { $MVN exec:exec@bench -Dbench.main="io.kworker.bench.$1" -Dbench.args="$2" | plain; }

# always: `mvn test` compiles the tests without src/jmh, so the benchmarks (and Chart) may be missing
$MVN test-compile | plain
if [[ "${1:-all}" != chart ]]; then
  $MVN exec:exec@jmh -Djmh.args="QueueThroughput -rf json -rff $T/jmh-throughput.json" | plain | tee "$T/jmh-throughput.txt"
  publish jmh-throughput.json jmh-throughput.txt
  $MVN exec:exec@jmh -Djmh.args="ExecutorThroughput -rf json -rff $T/jmh-executor.json" | plain | tee "$T/jmh-executor.txt"
  publish jmh-executor.json jmh-executor.txt
  $MVN exec:exec@jmh -Djmh.args="RoundTrip -rf json -rff $T/jmh-roundtrip.json" | plain | tee "$T/jmh-roundtrip.txt"
  # sample mode writes every sample's histogram (megabytes); keep the percentiles, per-fork p50s in the .txt
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for b in d: b["primaryMetric"].pop("rawDataHistogram", None)
json.dump(d, open(sys.argv[1], "w"), indent=1)' "$T/jmh-roundtrip.json"
  publish jmh-roundtrip.json jmh-roundtrip.txt
  bench InterleavedThroughput "31 300 $T/interleaved.json dedicated" | tee "$T/interleaved.txt"
  publish interleaved.json interleaved.txt
  bench CompletionLatency "7 3000 $T/completion.json" | tee "$T/completion.txt"
  publish completion.json completion.txt
  bench ExecutorLatency "7 3000 $T/executor-latency.json" | tee "$T/executor-latency.txt"
  publish executor-latency.json executor-latency.txt
  bench ArmedDelayed "5 1000000 $T/armed.json" | tee "$T/armed.txt"
  publish armed.json armed.txt
  bench TimerLateness "5 100 10 $T/lateness.json" | tee "$T/lateness.txt"
  publish lateness.json lateness.txt
  bench Footprint "5 100000 1000 $T/footprint.json" | tee "$T/footprint.txt"
  publish footprint.json footprint.txt
  bench CancelRetention "3 2000000 $T/retention.json" | tee "$T/retention.txt"
  publish retention.json retention.txt
  bench GraceLateness "3 200 $T/grace.json" | tee "$T/grace.txt"
  publish grace.json grace.txt
fi
$MVN exec:exec@bench -Dbench.jvm=-Djava.awt.headless=true -Dbench.main=io.kworker.bench.Chart \
  -Dbench.args="$T/performance.png $T/table.md $(ls $R/*.json | tr '\n' ' ')" | plain
mv "$T/performance.png" docs/performance.png
publish table.md
rmdir "$T"
