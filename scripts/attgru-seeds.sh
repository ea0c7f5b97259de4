#!/usr/bin/env bash
# The ATT-GRU ablation over model seeds: trains attgru, gru, attlstm, lstm and lstm-classifier on hdfs-attgru and
# bgl-supervised once per model seed (-p seed=N; the split stays that of seed 1), then tabulates mean, spread
# and range per method and protocol from the reports. Usage:
#   scripts/attgru-seeds.sh run OUT_DIR [SEEDS [FILE]]  (SEEDS default "1 2 3 4 5"; 10 to 15 minutes a seed on 2
#                                                       cores; then tabulates as below)
#   scripts/attgru-seeds.sh table OUT_DIR [FILE]        (tabulates OUT_DIR/ablation-seed*.md to FILE or stdout)
# The committed figures: scripts/attgru-seeds.sh run docs/results/attgru-seeds "1 2 3 4 5" docs/results/attgru.md
# ANOMALOG names the launcher (default ./anomalog), e.g. a copy of the built command that later rebuilds leave alone;
# DATA a datasets folder other than the default; PARAMS more parameters for every run, e.g. PARAMS="-p batch=256".
set -euo pipefail
cd "$(dirname "$0")/.."
anomalog="${ANOMALOG:-./anomalog}"
mode="${1:?run or table}"
out="${2:?output folder}"

if [ "$mode" = run ]; then
  mkdir -p "$out"
  for n in ${3:-1 2 3 4 5}; do
    "$anomalog" bench attgru ${DATA:+--data "$DATA"} --protocols hdfs-attgru,bgl-supervised --methods attgru,gru,attlstm,lstm,lstm-classifier \
      -p seed="$n" ${PARAMS:-} -o "$out/ablation-seed$n.md"
  done
  exec "$0" table "$out" "${4:-}"
fi
[ "$mode" = table ] || { echo "unknown mode $mode: run or table" >&2; exit 2; }
file="${3:-}"
reports=("$out"/ablation-seed*.md)
[ -e "${reports[0]}" ] || { echo "no $out/ablation-seed*.md" >&2; exit 1; }

# One row per method and protocol: F1 at the model's own threshold (mean ± sample standard deviation, min-max
# over the seeds), mean precision and recall, mean false positives and negatives, ROC AUC, F1 at a fixed 0.5,
# training seconds (mean, most), epochs (mean) and the slowest scoring throughput. Then, per protocol, each
# attention variant against the same network without attention: the difference of the mean F1 and ROC AUC,
# the standard error of that difference, and in how many seeds the attention variant had the higher F1.
table() {
awk -v command="scripts/attgru-seeds.sh table $out${file:+ $file}" -v dir="$out" -v base="${file:+$(dirname "$file")}" '
  function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
  function num(s) { s = trim(s); split(s, a, " "); gsub(",", "", a[1]); return a[1] + 0 }
  function add(key, name, v) { sum[key, name] += v; sq[key, name] += v * v; val[key, name, runs[key]] = v
    if (!((key, name) in lo) || v < lo[key, name]) lo[key, name] = v
    if (!((key, name) in hi) || v > hi[key, name]) hi[key, name] = v }
  function mean(key, name) { return sum[key, name] / runs[key] }
  function sd(key, name,   n, m, v) { n = runs[key]; if (n < 2) return 0; m = mean(key, name)
    v = (sq[key, name] - n * m * m) / (n - 1); return v > 0 ? sqrt(v) : 0 }
  function signed(x,   t) { t = sprintf("%+.4f", x); return t == "-0.0000" ? "+0.0000" : t }
  function se(a, b, name) { return sqrt(sd(a, name) ^ 2 / runs[a] + sd(b, name) ^ 2 / runs[b]) }
  FNR == 1 { files++; name = FILENAME; sub(".*/", "", name); listed[files] = name; written[files] = "" }
  FNR == 3 && /^Written by/ { match($0, /`[^`]*`/); written[files] = substr($0, RSTART, RLENGTH) }
  /^## / { protocol = $2; table = ""; if (!(protocol in pseen)) { pseen[protocol] = 1; porder[++protocols] = protocol }; next }
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
    print "# ATT-GRU family over model seeds"
    print ""
    printf "Written by `%s` from the %d report(s) in `%s`, one per model seed (the split is that of seed 1), each written by the command it names:\n\n", command, files, dir
    for (i = 1; i <= files; i++) {
      link = base == "" ? dir "/" listed[i] : substr(dir "/" listed[i], length(base) + 2)
      printf "- [%s](%s): %s\n", listed[i], link, written[i]
    }
    print ""
    print "F1 at each model'"'"'s own threshold (chosen on validation), mean ± sample standard deviation over the seeds, and its range; P, R, FP and FN are means; \"F1 at t = 0.5\" is the same models at a fixed threshold of 0.5 (the reports'"'"' sweep); training seconds mean (most); windows/s is the slowest warm scoring pass."
    print ""
    print "| protocol | method | runs | F1 mean ± sd | F1 min-max | P | R | FP | FN | ROC AUC mean ± sd | F1 at t = 0.5 | train s mean (most) | epochs | windows/s (slowest) |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= keys; i++) {
      key = order[i]; split(key, pm, SUBSEP)
      printf "| %s | %s | %d | %.4f ± %.4f | %.4f-%.4f | %.4f | %.4f | %.1f | %.1f | %.4f ± %.4f | %.4f ± %.4f | %.0f (%.0f) | %.0f | %\047.0f |\n",
        pm[1], pm[2], runs[key], mean(key, "f1"), sd(key, "f1"), lo[key, "f1"], hi[key, "f1"], mean(key, "p"),
        mean(key, "r"), mean(key, "fp"), mean(key, "fn"), mean(key, "auc"), sd(key, "auc"), mean(key, "f1half"),
        sd(key, "f1half"), mean(key, "train"), hi[key, "train"], mean(key, "epochs"), lo[key, "wps"]
    }
    print ""
    print "Attention against the same network without it: difference of the means (attention minus none), the standard error of that difference, and the seeds in which the attention variant had the higher F1 (ties count for neither)."
    print ""
    print "| protocol | comparison | runs | F1 difference ± standard error | ROC AUC difference ± standard error | seeds with higher F1 |"
    print "|---|---|---:|---:|---:|---:|"
    split("attgru gru attlstm lstm", pair, " ")
    for (p = 1; p <= protocols; p++) {
      for (q = 1; q <= 3; q += 2) {
        ka = porder[p] SUBSEP pair[q]; kb = porder[p] SUBSEP pair[q + 1]
        if (!(ka in seen) || !(kb in seen)) continue
        m = runs[ka] < runs[kb] ? runs[ka] : runs[kb]; wins = 0; losses = 0
        for (k = 1; k <= m; k++) {
          if (val[ka, "f1", k] > val[kb, "f1", k]) wins++; else if (val[ka, "f1", k] < val[kb, "f1", k]) losses++
        }
        printf "| %s | %s vs %s | %d | %s ± %.4f | %s ± %.4f | %d of %d (lower in %d) |\n", porder[p], pair[q],
          pair[q + 1], m, signed(mean(ka, "f1") - mean(kb, "f1")), se(ka, kb, "f1"), signed(mean(ka, "auc") - mean(kb, "auc")),
          se(ka, kb, "auc"), wins, m, losses
      }
    }
  }' "${reports[@]}"
}
if [ -z "$file" ]; then
  table
  exit 0
fi
table > "$file.tmp" && mv "$file.tmp" "$file"

# docs/attgru.md quotes the two tables between its markers: refreshed from the file just written
doc=docs/attgru.md
if [ "$file" = docs/results/attgru.md ] && grep -q '^<!-- attgru-seeds -->$' "$doc"; then
  awk -v src="$file" '
    /^<!-- attgru-seeds -->$/ { print; print ""
      while ((getline line < src) > 0) if (line ~ /^\|/) { print line; was = 1 } else if (was) { print ""; was = 0 }
      if (was) print ""
      skip = 1; next }
    /^<!-- \/attgru-seeds -->$/ { skip = 0 }
    !skip { print }' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
fi
