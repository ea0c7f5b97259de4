#!/usr/bin/env bash
# Regenerates the detection benchmark reports under docs/results/ for every standard protocol this build
# knows (protocols not registered yet are skipped with a message). Usage:
#   scripts/regenerate-results.sh [DATA_DIR]   (default ../shared/datasets; seed 42 or SEED=...;
#   hdfs-supervised also over REPEAT=5 seeds for the spread)
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/datasets}"
seed="${SEED:-42}"
known="$(./anomalog bench detect --list-protocols | cut -f1)"
for protocol in hdfs-supervised hdfs-deeplog openstack-deeplog bgl-windows hdfs-attgru bgl-supervised; do
  if grep -qx "$protocol" <<<"$known"; then
    echo "== $protocol" >&2
    # the classic-only protocol is cheap enough to repeat over five splits for the spread across seeds
    repeat=1
    [ "$protocol" = hdfs-supervised ] && repeat="${REPEAT:-5}"
    # DeepLog on the 4 million BGL training windows takes minutes; a seeded cap keeps the run short
    extra=()
    [ "$protocol" = bgl-windows ] && extra=(-p deeplog.maxWindows=200000)
    ./anomalog bench detect --protocol "$protocol" --data "$data" --seed "$seed" --repeat "$repeat" \
      "${extra[@]}" --report "docs/results/$protocol"
  else
    echo "== $protocol: not registered in this build, skipped" >&2
  fi
done
# loglizer's exact term weighting (plain TF-IDF) for the unsupervised methods that default to smoothed TF-IDF
echo "== hdfs-supervised with loglizer's weighting" >&2
./anomalog bench detect --protocol hdfs-supervised --data "$data" --seed "$seed" --methods pca,logcluster,ocsvm \
  -p pca.weighting=tf-idf -p logcluster.weighting=tf-idf -p ocsvm.weighting=tf-idf \
  --report docs/results/hdfs-supervised-loglizer-weighting
