#!/usr/bin/env bash
# Start-up, as a user meets it: whole processes of `./modelc train samples/quadratic.model` (the
# seed example, a second run: the class cache and the CDS archive are in place) and
# `./modelc check samples/digits_mlp.model`, beside the same seed example as a PyTorch script
# and PyTorch's import alone, in one run, taking turns. Prints a Markdown table of medians;
# with --write, also puts it in README.md between the startup:table markers.
#
#   bench/startup.sh            # 10 rounds
#   STARTUP_ROUNDS=20 bench/startup.sh --write
#
# A benchmark, not a test: on a shared machine only figures from the same run compare.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${STARTUP_ROUNDS:-10}
python=${PYTHON:-/usr/bin/python3}
write=false
[ "${1:-}" = "--write" ] && write=true

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "startup: PyTorch is missing; install python3-torch (apt-get install python3-torch)" >&2
  exit 2
fi

names=("modelc train samples/quadratic.model" "modelc check samples/digits_mlp.model"
  "python3 bench/startup/seed.py" "python3 -c 'import torch'")
commands=("./modelc train samples/quadratic.model" "./modelc check samples/digits_mlp.model"
  "$python bench/startup/seed.py" "$python -c 'import torch'")

# The first run builds the command line if needed, makes the archive and fills the class cache;
# the same example must end the same way on both sides.
modelc_end=$(./modelc train samples/quadratic.model 2>/dev/null | tail -n 1)
torch_end=$("$python" bench/startup/seed.py | tail -n 1)
if [ "$modelc_end" != "$torch_end" ]; then
  echo "startup: the two sides disagree: '$modelc_end' and '$torch_end'" >&2
  exit 1
fi
for command in "${commands[@]}"; do bash -c "$command" >/dev/null 2>&1; done

load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
times=$(mktemp)
trap 'rm -f "$times"' EXIT
for ((round = 1; round <= rounds; round++)); do
  for i in "${!commands[@]}"; do
    start=$(date +%s%N)
    bash -c "${commands[$i]}" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "$i $(((end - start) / 1000))" >>"$times"
  done
done
load_after=$(cut -d ' ' -f 1-3 /proc/loadavg)

median() {
  awk -v i="$1" '$1 == i { print $2 }' "$times" | sort -n \
    | awk '{ a[NR] = $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.3f", m / 1e6 }'
}
range() {
  awk -v i="$1" '$1 == i { print $2 }' "$times" | sort -n \
    | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f to %.3f", lo / 1e6, hi / 1e6 }'
}

jdk=$(java -version 2>&1 | head -n 1 | sed 's/"//g')
torch=$("$python" -c 'import torch, platform; print(f"PyTorch {torch.__version__}, Python {platform.python_version()}")')
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
table=$(
  echo "Machine: $(date +%Y-%m-%d), $cpu, $(nproc) cores; $jdk; $torch; load before: $load_before; load after: $load_after"
  echo
  echo "| command | median wall | range | runs |"
  echo "|---|---|---|---|"
  for i in "${!commands[@]}"; do
    echo "| \`${names[$i]}\` | $(median "$i") s | $(range "$i") s | $rounds |"
  done
  echo
  echo "Whole processes, output discarded, the four taking turns; medians of $rounds rounds after a warm-up run."
)
echo "$table"

if $write; then
  "$python" - "$table" <<'EOF'
import re, sys
text = open("README.md", encoding="utf-8").read()
start, end = "<!-- startup:table -->", "<!-- /startup:table -->"
if start not in text or end not in text:
    sys.exit("startup: README.md has no startup:table markers")
before, rest = text.split(start, 1)
_, after = rest.split(end, 1)
open("README.md", "w", encoding="utf-8").write(before + start + "\n" + sys.argv[1] + "\n" + end + after)
EOF
  echo "startup: README.md updated"
fi
