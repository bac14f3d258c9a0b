#!/usr/bin/env bash
# Side-by-side benchmark of srs's FSRS-6 optimizer (fsrs/optimize) and
# fsrs-rs (the npm package @open-spaced-repetition/binding, fsrs-rs
# compiled for Node) on the same items from the same simulated logs.
#
#   bench/optimizer/run.sh [RUNS] [REVIEWS...]   (default 5 runs; 10000 100000 reviews)
#
# The binding is installed into bench/out/node (not committed). Fits of
# the two alternate, RUNS each, so both see the same machine; each fit's
# wall time covers the fit alone (not reading the items). Every fit is
# then scored by srs's evaluator and by fsrs-rs's, on the training items
# and on held-out items (other cards of the same simulated user).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)

out=bench/out/optimizer
node_dir=bench/out/node
mkdir -p "$out" "$node_dir"
if [ ! -d "$node_dir/node_modules/@open-spaced-repetition/binding" ]; then
  (cd "$node_dir" && { [ -f package.json ] || echo '{"private":true}' >package.json; } &&
    npm install --no-audit --no-fund @open-spaced-repetition/binding@0.5.0 >&2)
fi
export NODE_PATH=$PWD/$node_dir/node_modules
go build -o "$out/optimizer" ./bench/optimizer
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3), node $(node --version), binding $(node -p "require('$NODE_PATH/@open-spaced-repetition/binding/package.json').version")"
for n in "${sizes[@]}"; do
  d=$out/r$n
  rm -rf "$d"
  "$out/optimizer" gen -dir "$d" -reviews "$n"
  for i in $(seq "$runs"); do
    "$out/optimizer" fit -dir "$d"
    node bench/optimizer/fsrs-rs.mjs fit "$d"
    "$out/optimizer" fit -dir "$d" -peritem
  done
  node bench/optimizer/fsrs-rs.mjs evaluate "$d"
  echo
  echo "### $n reviews"
  "$out/optimizer" report -dir "$d"
done
