#!/usr/bin/env bash
# Writes many rows like the breast cancer data, for training on Spark (see BreastCancerRows.java):
#
#   samples/data/breast_cancer_rows.sh [ROWS] [OUT.parquet] [OUT.csv]
#
# Defaults: 1,000,000 rows to samples/data/breast_cancer_1m.parquet, seed 1; the CSV, with the
# same rows, only when a name is given. Builds the Spark module first if needed (for Parquet).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rows="${1:-1000000}"
out="${2:-$root/samples/data/breast_cancer_1m.parquet}"
csv="${3:-}"
classpath="$root/spark/target/spark-classpath.txt"
runtime="$root/runtime/target/modelc-runtime-0.1.0-SNAPSHOT.jar"

if [ ! -f "$classpath" ] || [ ! -f "$runtime" ]; then
  echo "breast_cancer_rows: building the Spark module..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl spark -am package)
fi
java -Dmodelc.samples="$root/samples" -cp "$runtime:$(cat "$classpath")" \
  "$root/samples/data/BreastCancerRows.java" "$rows" 1 "$out" ${csv:+"$csv"}
echo "wrote $rows rows to $out${csv:+ and $csv}" >&2
