#!/usr/bin/env bash
# Writes many rows like the breast cancer data, for training on Spark (see BreastCancerRows.java):
#
#   samples/data/breast_cancer_rows.sh [ROWS] [OUT.parquet] [OUT.csv]
#
# Defaults: 1,000,000 rows to samples/data/breast_cancer_1m.parquet, seed 1; the same rows as
# CSV too when a CSV name is given. Builds what it needs on first use (Parquet comes with Spark).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rows="${1:-1000000}"
out="${2:-$root/samples/data/breast_cancer_1m.parquet}"
csv="${3:-}"
"$root/spark/spark-java" -Dmodelc.samples="$root/samples" "$root/samples/data/BreastCancerRows.java" \
  "$rows" 1 "$out" ${csv:+"$csv"} 2> >(grep -v '^SLF4J' >&2)
echo "wrote $rows rows to $out${csv:+ and $csv}" >&2
