#!/usr/bin/env bash
# Runs every kworker benchmark one after the other and writes docs/results/*.json,
# docs/results/table.md and docs/performance.png. About 20 minutes on a 2-core machine.
#   bash bench/run-all.sh            # everything
#   bash bench/run-all.sh chart      # only redraw the chart and table from docs/results/*.json
set -euo pipefail
cd "$(dirname "$0")/.."
R=docs/results
mkdir -p "$R"
MVN="mvn -B -q -Pjmh"
bench() { $MVN exec:exec@bench -Dbench.main="io.kworker.bench.$1" -Dbench.args="$2"; }

if [[ "${1:-all}" != chart ]]; then
  $MVN test-compile
  $MVN exec:exec@jmh -Djmh.args="QueueThroughput -rf json -rff $R/jmh-throughput.json" | tee "$R/jmh-throughput.txt"
  $MVN exec:exec@jmh -Djmh.args="RoundTrip -rf json -rff $R/jmh-roundtrip.json" | tee "$R/jmh-roundtrip.txt"
  $MVN exec:exec@jmh -Djmh.args="ExecutorThroughput -rf json -rff $R/jmh-executor.json" | tee "$R/jmh-executor.txt"
  # sample mode writes every sample's histogram (megabytes); keep the percentiles, per-fork p50s in the .txt
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for b in d: b["primaryMetric"].pop("rawDataHistogram", None)
json.dump(d, open(sys.argv[1], "w"), indent=1)' "$R/jmh-roundtrip.json"
  bench InterleavedThroughput "31 300 $R/interleaved.json dedicated" | tee "$R/interleaved.txt"
  bench CompletionLatency "7 3000 $R/completion.json" | tee "$R/completion.txt"
  bench ArmedDelayed "5 1000000 $R/armed.json" | tee "$R/armed.txt"
  bench TimerLateness "5 100 10 $R/lateness.json" | tee "$R/lateness.txt"
  bench Footprint "5 100000 1000 $R/footprint.json" | tee "$R/footprint.txt"
  bench CancelRetention "3 2000000 $R/retention.json" | tee "$R/retention.txt"
  bench GraceLateness "3 200 $R/grace.json" | tee "$R/grace.txt"
fi
$MVN exec:exec@bench -Dbench.jvm=-Djava.awt.headless=true -Dbench.main=io.kworker.bench.Chart \
  -Dbench.args="docs/performance.png $R/table.md $(ls $R/*.json | tr '\n' ' ')"
