#!/usr/bin/env bash
# Times `srs export --format apkg --with-scheduling` of the 100k-card,
# 1M-review collection with srs built from several git revisions,
# interleaved run by run so that the machine's mood hits each alike, and
# prints per revision the median wall time, the median CPU time (user +
# system) and the median and highest peak of private memory: RssAnon
# (the Go heap, stacks, SQLite's allocations; not the database's mapped
# file pages, which are page cache), sampled every 10 ms.
#
#   bench/export-ab.sh RUNS REV...     e.g. bench/export-ab.sh 7 main HEAD
#
# Needs bench/out/big.db (bench/run.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=$1
shift
out=bench/out
[ -f "$out/big.db" ] || { echo "no $out/big.db: run bench/run.sh first" >&2; exit 1; }
export SRS_NOW=2026-11-27T10:00:00Z TZ=UTC SRS_USER=user00
revs=("$@") hashes=()
for i in "${!revs[@]}"; do
  hashes[$i]=$(git rev-parse --short "${revs[$i]}")
  src=$(mktemp -d)
  git archive "${revs[$i]}" | tar -x -C "$src"
  (cd "$src" && go build -o "$OLDPWD/$out/srs-ab-$i" ./cmd/srs)
  rm -rf "$src"
  "$out/srs-ab-$i" --db "$out/big.db" status >/dev/null # a schema upgrade, if any, is not timed
done

# one run: prints wall ms, CPU ms, peak RssAnon KiB
one() {
  local s e peak=0 kb
  s=$(date +%s%N)
  /usr/bin/time -f '%e %U %S' -o "$out/ab-time" "$@" >/dev/null 2>&1 &
  local tpid=$! pid=
  while kill -0 "$tpid" 2>/dev/null; do
    [ -n "$pid" ] || pid=$(pgrep -P "$tpid" | head -1 || true)
    if [ -n "$pid" ] && kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$kb" ]; then
      [ "$kb" -gt "$peak" ] && peak=$kb
    fi
    sleep 0.01
  done
  wait "$tpid" || { echo "failed: $*" >&2; exit 1; }
  e=$(date +%s%N)
  awk -v w=$(((e - s) / 1000000)) -v p="$peak" '{printf "%d %d %d\n", w, ($2 + $3) * 1000, p}' "$out/ab-time"
}

res=()
for _ in $(seq "$runs"); do
  for i in "${!revs[@]}"; do
    res[$i]+="$(one "$out/srs-ab-$i" --db "$out/big.db" export --format apkg --with-scheduling -o "$out/ab-$i.apkg")"$'\n'
  done
done
# median, and highest, of column $1 of the runs on stdin
med() { awk -v c="$1" 'NF {print $c}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[NR]}'; }
echo "| revision | wall (median of $runs) | CPU | peak RssAnon, median (highest) | package |"
echo "|---|---|---|---|---|"
for i in "${!revs[@]}"; do
  read -r w _ <<<"$(med 1 <<<"${res[$i]}")"
  read -r c _ <<<"$(med 2 <<<"${res[$i]}")"
  read -r p hi <<<"$(med 3 <<<"${res[$i]}")"
  awk -v rev="${revs[$i]} (${hashes[$i]})" -v w="$w" -v c="$c" -v p="$p" -v hi="$hi" \
    -v size="$(stat -c %s "$out/ab-$i.apkg")" \
    'BEGIN {printf "| %s | %.2f s | %.2f s | %.0f MiB (%.0f) | %.1f MiB |\n", rev, w / 1000, c / 1000, p / 1024, hi / 1024, size / 1048576}'
done
