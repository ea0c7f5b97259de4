#!/usr/bin/env bash
# Regenerates every file under docs/results/ with the commands that write them. Usage:
#   scripts/regenerate-results.sh [DATA_DIR]   (default ../shared/datasets; seed 42 or SEED=...;
#   hdfs-supervised also over REPEAT=5 seeds for the spread)
# Speed figures depend on the machine: run it on an otherwise idle machine. The deep models make it take
# about half an hour on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/datasets}"
seed="${SEED:-42}"
classic=pca,invariants,logcluster,iforest,ocsvm,ngram,zscore,moving-average,lr,svm-rbf,svm-linear,tree

echo "== parser" >&2
./anomalog bench parse --data "$data"
./anomalog bench parse-speed --data "$data" --lines 1000000 --command-lines 1000000,5000000

echo "== detection protocols (bench detect)" >&2
# the classic methods on the supervised HDFS split, repeated over seeds for the spread
./anomalog bench detect --protocol hdfs-supervised --data "$data" --seed "$seed" --repeat "${REPEAT:-5}" \
  --methods "$classic" --report docs/results/hdfs-supervised
# loglizer's exact term weighting (plain TF-IDF) for the unsupervised methods that default to smoothed TF-IDF
./anomalog bench detect --protocol hdfs-supervised --data "$data" --seed "$seed" --methods pca,logcluster,ocsvm \
  -p pca.weighting=tf-idf -p logcluster.weighting=tf-idf -p ocsvm.weighting=tf-idf \
  --report docs/results/hdfs-supervised-loglizer-weighting
# every unsupervised method (DeepLog included) on the unsupervised protocols
./anomalog bench detect --protocol hdfs-deeplog --data "$data" --seed "$seed" --report docs/results/hdfs-deeplog
./anomalog bench detect --protocol openstack-deeplog --data "$data" --seed "$seed" --report docs/results/openstack-deeplog
# DeepLog on the 4 million BGL training windows takes minutes; a seeded cap keeps the run short, and training
# stops at the first plateau (no learning-rate cuts) because BGL's validation loss only rises after it
./anomalog bench detect --protocol bgl-windows --data "$data" --seed "$seed" -p deeplog.maxWindows=200000 \
  -p deeplog.lrDrops=0 -p deeplog.patience=5 --report docs/results/bgl-windows

echo "== DeepLog" >&2
# five model seeds on each protocol: one seed alone says little about the next
./anomalog bench deeplog --data "$data" --protocol hdfs-deeplog --protocol openstack-deeplog --model-seeds 42,1,2,3,4
./anomalog bench deeplog --data "$data" --protocol bgl-windows --raw-logs none -p lrDrops=0 -p patience=5 \
  -o docs/results/deeplog-bgl.md
./anomalog bench deeplog --data "$data" --protocol hdfs-deeplog --raw-logs none -p hidden=128 -o docs/results/deeplog-hidden128.md
./anomalog bench deeplog-speed --data "$data"
./anomalog bench deeplog-parameters
./anomalog bench workflows

echo "== ATT-GRU family" >&2
# the five window classifiers over five model seeds on hdfs-attgru and bgl-supervised (about an hour on 2 cores):
# one report per seed in docs/results/attgru-seeds/, their means and spreads in docs/results/attgru.md
DATA="$data" scripts/attgru-seeds.sh run docs/results/attgru-seeds "1 2 3 4 5" docs/results/attgru.md
# the one-hot classifier on the hdfs-supervised split (bench detect view), over five splits
./anomalog bench detect --protocol hdfs-supervised --data "$data" --seed "$seed" --repeat "${REPEAT:-5}" \
  --methods lstm-classifier --report docs/results/hdfs-supervised-lstm-classifier

echo "== multi-service JSON logs" >&2
./anomalog bench services
# the reconstruction detector under other score, tail and bottleneck choices on the same windows
scripts/services-scores.sh run docs/results/services-scores docs/results/services-scores/README.md

echo "== live path" >&2
./anomalog bench online
./anomalog bench online --data "$data" --scenario bgl -p lrDrops=0 -p patience=5 -o docs/results/online-bgl.md
./anomalog bench session-append
./anomalog bench stream
./anomalog bench stream --sessions 100000 --warmup 0 --out docs/results/stream-long.md
