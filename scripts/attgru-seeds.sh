#!/usr/bin/env bash
# The ATT-GRU ablation over model seeds: trains attgru, gru, attlstm, lstm and lstm-classifier on hdfs-attgru and
# bgl-supervised once per model seed (-p seed=N; the split stays that of seed 1), then tabulates mean, spread
# and range per method and protocol from the reports. Usage:
#   scripts/attgru-seeds.sh run OUT_DIR [SEEDS]    (SEEDS default "1 2 3 4 5"; about 15 minutes a seed on 2 cores)
#   scripts/attgru-seeds.sh table OUT_DIR          (tabulates OUT_DIR/ablation-seed*.md)
# The committed figures: OUT_DIR = docs/results/attgru-seeds (its table in docs/results/attgru-seeds.md).
# ANOMALOG names the launcher (default ./anomalog), e.g. a copy of the built command that later rebuilds leave alone.
set -euo pipefail
cd "$(dirname "$0")/.."
anomalog="${ANOMALOG:-./anomalog}"
mode="${1:?run or table}"
out="${2:?output folder}"

if [ "$mode" = run ]; then
  mkdir -p "$out"
  for n in ${3:-1 2 3 4 5}; do
    "$anomalog" bench attgru --protocols hdfs-attgru,bgl-supervised --methods attgru,gru,attlstm,lstm,lstm-classifier \
      -p seed="$n" -o "$out/ablation-seed$n.md"
  done
  mode=table
fi
[ "$mode" = table ] || { echo "unknown mode $mode: run or table" >&2; exit 2; }

# One row per method and protocol: F1 at the model's own threshold (mean ± sample standard deviation, min-max
# over the seeds), mean precision and recall, mean false positives and negatives, ROC AUC, F1 at a fixed 0.5,
# training seconds (mean, most), epochs (mean) and the slowest scoring throughput.
awk '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
  function num(s) { s = trim(s); split(s, a, " "); gsub(",", "", a[1]); return a[1] + 0 }
  function add(key, name, v) { sum[key, name] += v; sq[key, name] += v * v
    if (!((key, name) in lo) || v < lo[key, name]) lo[key, name] = v
    if (!((key, name) in hi) || v > hi[key, name]) hi[key, name] = v }
  function mean(key, name) { return sum[key, name] / runs[key] }
  function sd(key, name,   n, m) { n = runs[key]; if (n < 2) return 0; m = mean(key, name)
    v = (sq[key, name] - n * m * m) / (n - 1); return v > 0 ? sqrt(v) : 0 }
  FNR == 1 { files++ }
  /^## / { protocol = $2; table = ""; next }
  /^\| method \| test P/ { table = "main"; next }
  /^\| method \| ROC AUC/ { table = "sweep"; next }
  /^\|---/ { next }
  /^\|/ && table != "" {
    n = split($0, f, "|"); method = trim(f[2]); key = protocol SUBSEP method
    if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
    if (table == "main") {
      runs[key]++
      add(key, "p", num(f[3])); add(key, "r", num(f[4])); add(key, "f1", num(f[5]))
      add(key, "fp", num(f[7])); add(key, "fn", num(f[8]))
      add(key, "train", num(f[n - 4])); add(key, "epochs", num(f[n - 3])); add(key, "wps", num(f[n - 1]))
    } else {
      add(key, "auc", num(f[3])); add(key, "f1half", num(f[6]))
    }
    next
  }
  /^$/ { table = "" }
  END {
    printf "%d report(s)\n\n", files
    print "| protocol | method | runs | F1 mean ± sd | F1 min-max | P | R | FP | FN | ROC AUC mean ± sd | F1 at t = 0.5 | train s mean (most) | epochs | windows/s (slowest) |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= keys; i++) {
      key = order[i]; split(key, pm, SUBSEP)
      printf "| %s | %s | %d | %.4f ± %.4f | %.4f-%.4f | %.4f | %.4f | %.1f | %.1f | %.4f ± %.4f | %.4f ± %.4f | %.0f (%.0f) | %.0f | %\047.0f |\n",
        pm[1], pm[2], runs[key], mean(key, "f1"), sd(key, "f1"), lo[key, "f1"], hi[key, "f1"], mean(key, "p"),
        mean(key, "r"), mean(key, "fp"), mean(key, "fn"), mean(key, "auc"), sd(key, "auc"), mean(key, "f1half"),
        sd(key, "f1half"), mean(key, "train"), hi[key, "train"], mean(key, "epochs"), lo[key, "wps"]
    }
  }' "$out"/ablation-seed*.md
