#!/usr/bin/env bash
# The reconstruction detector under other choices of its score, tails and bottleneck, on the windows of
# `anomalog bench services` (the simulation of seed 42), one report per choice, then a table of them. Usage:
#   scripts/services-scores.sh run OUT_DIR [FILE]   (about 1.5 minutes a choice on 2 cores; then tabulates as below)
#   scripts/services-scores.sh table OUT_DIR [FILE] (tabulates OUT_DIR/reconstruction-*.md to FILE or stdout)
# The committed figures: scripts/services-scores.sh run docs/results/services-scores docs/results/services-scores/README.md
# ANOMALOG names the launcher (default ./anomalog).
set -euo pipefail
cd "$(dirname "$0")/.."
anomalog="${ANOMALOG:-./anomalog}"
mode="${1:?run or table}"
out="${2:?output folder}"
choices=("score=normalised hidden=16 persist=0" "score=normalised" "persist=0" "shape=0" "hidden=8" "hidden=16")

if [ "$mode" = run ]; then
  mkdir -p "$out"
  for choice in "${choices[@]}"; do
    args=(); name=""
    for kv in $choice; do args+=(-p "reconstruction.$kv"); name="$name-${kv/=/}"; done
    "$anomalog" bench services --methods reconstruction "${args[@]}" -o "$out/reconstruction$name.md"
  done
  exec "$0" table "$out" "${3:-}"
fi
[ "$mode" = table ] || { echo "unknown mode $mode: run or table" >&2; exit 2; }
file="${3:-}"
reports=("$out"/reconstruction-*.md)
[ -e "${reports[0]}" ] || { echo "no $out/reconstruction-*.md" >&2; exit 1; }

table() {
  echo "# Reconstruction detector: other scores, tails and bottlenecks"
  echo
  echo "Written by \`scripts/services-scores.sh table $out\` from the reports below, each written by the command"
  echo "it names, on the same simulation and windows; services.md has the defaults (\`score=tail\`, \`hidden=4\`)."
  echo "F1 and FPR at the detector's own threshold (mean + 3 sigma of the normal validation windows' scores);"
  echo "recall per kind and F1 at the cut that flags 1 % of the normal test windows."
  echo
  echo "| report | parameters | F1 | FPR | ROC-AUC | error-spike | brute-force | latency-spike | latency-creep | silence | F1 at 1 % |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in docs/results/services.md "${reports[@]}"; do
    params=$(grep -o -- '-p reconstruction\.[^ `]*' "$r" | sed 's/-p reconstruction\.//' | paste -sd ' ' - || true)
    own=$(grep -m1 '^| reconstruction | 0\.' "$r")
    cut=$(awk '/^\| method \| threshold/ {f=1} f && /^\| reconstruction/ {print; exit}' "$r")
    # own: | method | accuracy | precision | recall | F1 | ROC-AUC | FPR | ...
    f1=$(echo "$own" | awk -F'|' '{gsub(/ /,"",$6); print $6}')
    auc=$(echo "$own" | awk -F'|' '{gsub(/ /,"",$7); print $7}')
    fpr=$(echo "$own" | awk -F'|' '{gsub(/ /,"",$8); print $8}')
    kinds=$(echo "$cut" | awk -F'|' '{out=""; for (i = 4; i <= 9; i++) {gsub(/ /,"",$i); out=out " | " $i}; print out}')
    link=$(basename "$r")
    if [ "$r" = docs/results/services.md ]; then link=../services.md; fi
    echo "| [$(basename "$r")]($link) | ${params:-defaults} | $f1 | $fpr | $auc$kinds |"
  done
}
if [ -n "$file" ]; then table > "$file"; echo "table written to $file"; else table; fi
