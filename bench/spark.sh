#!/usr/bin/env bash
# The Spark figures: for W3's logistic regression and W4's MLP on generated rows (10^7 by
# default), on one machine's JVM alone and on embedded Spark sessions local[1] and local[2]:
# steps per second of training at the workloads' batch of 32 rows and at 16384 rows, the time of
# a step of 2 rows (Spark's fixed cost per synchronous step), and rows per second of scoring.
# Each (workload, run) is a JVM of its own; the runs alternate, in rounds, and the table shows
# the median of the rounds. Writes bench/results/SPARK.md and the table in README.md between the
# bench:spark markers. Never run by the build or CI: slow, and timing on a shared machine is noisy.
#
#   bench/spark.sh
#   BENCH_SPARK_ROWS=1000000 BENCH_SPARK_WORKLOADS=W3 BENCH_SPARK_ROUNDS=1 bench/spark.sh   (a quick try)
#
# The rows are generated once, as Parquet, into bench/target/spark-data (W4's 10^7 rows take
# about 3 GB of the executors' memory as floats; BENCH_SPARK_HEAP sets the heap, default 8g).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rows="${BENCH_SPARK_ROWS:-10000000}"
workloads="${BENCH_SPARK_WORKLOADS:-W3 W4}"
runs="${BENCH_SPARK_RUNS:-single local[1] local[2]}"
rounds="${BENCH_SPARK_ROUNDS:-3}"
heap="${BENCH_SPARK_HEAP:-8g}"
data="$root/bench/target/spark-data"
out="$root/bench/results"
raw="$root/bench/target/spark-figures.tsv"

echo "bench: building the benchmarks with Spark" >&2
(cd "$root" && ./mvnw -q -B -DskipTests -pl bench,cli,spark -am package)
mkdir -p "$data" "$out"
: >"$raw"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for w in $workloads; do
    for run in $runs; do
      echo "bench: round $round, $w, $run" >&2
      MODELC_SPARK_JAVA_OPTS="-Xmx$heap" "$root/spark/spark-java" --with "$root/bench/target/benchmarks.jar" \
        dev.modelc.bench.SparkFigures "$run" "$w" "$rows" "$data" 2>"$root/bench/target/spark-figures.log" >>"$raw"
    done
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/bench/spark_report.py" "$raw" "$load_before" "$load_after" "$(java -version 2>&1 | head -1)" \
  "$root/README.md" >"$out/SPARK.md"
echo "bench: done in $((SECONDS / 60)) min; table in bench/results/SPARK.md and README.md" >&2
