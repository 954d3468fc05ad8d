#!/usr/bin/env bash
# Runs the seven reference workloads (bench/README.md) with modelc (JMH) and PyTorch, alternately,
# on this machine, and prints and writes the comparison table (bench/results/RESULTS.md; a run
# of every workload also puts it in README.md, between the bench:table markers). About 16 min.
#
#   bench/run.sh                  JDK 17 (java on PATH) and Temurin 25 if present; 1 and 2 threads
#
# Then prediction with W4's and W5's models (those of them that BENCH_WORKLOADS runs): one row
# and 256 rows a call, modelc's predictor() beside PyTorch's softmax(model(x)) under no_grad,
# one thread. BENCH_PREDICT="" skips it; BENCH_PREDICT="W4" runs W4's alone.
#
# Each workload runs in rounds, modelc then PyTorch in every round, and the table takes the
# median of the rounds' medians: 3 rounds for W6, whose one-second steps give only tens of
# samples a run, 1 for the others, to keep a full run near 20 minutes. A slower spell of the
# machine, minutes long, can still fall on one side of a single round: BENCH_ROUNDS=N sets the
# count for every workload.
#   BENCH_WORKLOADS="W4 W5" BENCH_THREADS="1" BENCH_JDKS="/usr/lib/jvm/java-17-openjdk-amd64" bench/run.sh
#   BENCH_JMH_ARGS="-wi 1 -i 2" BENCH_GC_ARGS="-wi 1 -i 1" BENCH_WARMUP_SECONDS=1 BENCH_MEASURE_SECONDS=2 \
#     bench/run.sh                (a quick try of the whole pipeline)
#
# Installs what it needs: python3-torch and libopenblas0-pthread by apt-get (as root), and
# the benchmark jar by the Maven wrapper. Never run by the build or CI: too slow and noisy.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/results"
work="$root/bench/target/run"
workloads="${BENCH_WORKLOADS:-W1 W2 W3 W4 W5 W6 W7}"
thread_counts="${BENCH_THREADS:-1 2}"
jdk17="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
jdks="${BENCH_JDKS:-$jdk17 /usr/lib/jvm/temurin-25-jdk-amd64}"
python=/usr/bin/python3

if ! "$python" -c 'import torch' 2>/dev/null || ! ldconfig -p | grep -q libopenblas; then
  echo "bench: installing python3-torch and libopenblas0-pthread" >&2
  sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -q >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    python3-torch libopenblas0-pthread >/dev/null
fi

echo "bench: building the benchmark jar" >&2
(cd "$root" && ./mvnw -q -B -DskipTests -pl bench -am package)
jar="$root/bench/target/benchmarks.jar"

rm -rf "$work" && mkdir -p "$work/jmh" "$work/torch" "$work/predict/jmh" "$work/predict/torch" "$out"
echo "bench: exporting data and initial parameters" >&2
java --add-modules jdk.incubator.vector -cp "$jar" dev.modelc.bench.Export "$work/data" 2>/dev/null

# One JMH run of one workload: SampleTime, for the median. W1's loop takes about 100 ns, too
# little to time one at a time (reading the clock costs tens of ns): AverageTime, in ns.
modelc_side() {
  local jdk="$1" w="$2" t="$3" tag="$4" mode=""
  [ "$w" = W1 ] && mode="-bm avgt -tu ns"
  "$jdk/bin/java" -jar "$jar" WorkloadBenchmark -p workload="$w" -p threads="$t" $mode \
    ${BENCH_JMH_ARGS:-} -rf json -rff "$work/jmh/$tag.json" >"$work/jmh/$tag.log" 2>&1
}

# Allocation per unit, by JMH's gc profiler in AverageTime mode (SampleTime's bookkeeping
# allocates), with 10 s iterations so that JMH's own per-iteration garbage is spread thin.
# Units of many steps (W2-W5) only: W6's few steps per iteration would show JMH's garbage.
allocation() {
  local jdk="$1" w="$2" tag="$3"
  "$jdk/bin/java" -jar "$jar" WorkloadBenchmark -p workload="$w" -p threads=1 -bm avgt \
    ${BENCH_GC_ARGS:--wi 3 -i 3 -r 10} -prof gc -rf json -rff "$work/jmh/$tag-gc.json" >"$work/jmh/$tag-gc.log" 2>&1
}

# torch.set_num_threads does not reach Debian's OpenBLAS, which would use every core for a
# "1 thread" run: its thread count is set through the environment as well.
torch_side() {
  local w="$1" t="$2" round="$3"
  OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
    "$python" "$root/bench/pytorch/workloads.py" time "$work/data" "$w" "$t" \
    >"$work/torch/$w-$t-r$round.json"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$work/load.txt" >&2
for w in $workloads; do
  rounds="${BENCH_ROUNDS:-$([ "$w" = W6 ] && echo 3 || echo 1)}"
  for t in $thread_counts; do
    for round in $(seq 1 "$rounds"); do
      for jdk in $jdks; do
        [ -x "$jdk/bin/java" ] || continue
        version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.version = //p')
        echo "bench: $w, $t thread(s), round $round of $rounds: modelc on JDK $version" >&2
        modelc_side "$jdk" "$w" "$t" "$w-$t-jdk$version-r$round"
        if [ "$round" = 1 ] && [ "$t" = "${thread_counts%% *}" ] && [ "$jdk" = "${jdks%% *}" ] \
            && [[ " W2 W3 W4 W5 " == *" $w "* ]]; then
          echo "bench: $w: allocation per unit on JDK $version" >&2
          allocation "$jdk" "$w" "$w-$t-jdk$version"
        fi
      done
      echo "bench: $w, $t thread(s), round $round of $rounds: PyTorch" >&2
      torch_side "$w" "$t" "$round"
    done
  done
done

# Prediction: one JMH run per model, row count and JDK (AverageTime: a call takes microseconds),
# then PyTorch's, alternating.
predict_workloads="${BENCH_PREDICT-$(for w in W4 W5; do if [[ " $workloads " == *" $w "* ]]; then echo -n "$w "; fi; done)}"
for w in $predict_workloads; do
  for rows in 1 256; do
    for jdk in $jdks; do
      [ -x "$jdk/bin/java" ] || continue
      version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.version = //p')
      echo "bench: predict $w, $rows row(s): modelc on JDK $version" >&2
      "$jdk/bin/java" -jar "$jar" PredictBenchmark -p workload="$w" -p rows="$rows" -p threads=1 \
        ${BENCH_JMH_ARGS:-} -rf json -rff "$work/predict/jmh/$w-$rows-jdk$version.json" \
        >"$work/predict/jmh/$w-$rows-jdk$version.log" 2>&1
    done
    echo "bench: predict $w, $rows row(s): PyTorch" >&2
    OMP_WAIT_POLICY=PASSIVE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
      "$python" "$root/bench/pytorch/workloads.py" predict "$work/data" "$w" "$rows" 1 \
      >"$work/predict/torch/$w-$rows.json"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/load.txt" >&2

# A run of every workload replaces README.md's table; BENCH_README=1 or 0 says otherwise.
readme=()
if [ "${BENCH_README:-$([ -z "${BENCH_WORKLOADS:-}" ] && echo 1 || echo 0)}" = 1 ]; then
  readme=("$root/README.md")
fi
"$python" "$root/bench/report.py" "$work" "${readme[@]}" >"$out/RESULTS.md"
cat "$out/RESULTS.md"
echo "bench: done in $((SECONDS / 60)) min; table in bench/results/RESULTS.md${readme:+ and README.md}" >&2
