#!/usr/bin/env bash
# Times whole srs commands at realistic scale, several runs each, and
# prints medians beside a baseline measured in the same run. Results go to
# stdout as Markdown rows for bench/RESULTS.md.
#
#   bench/run.sh [RUNS]        (default 7 runs per figure)
#
# Collections are built once into bench/out/ (about a minute for the
# 100k-card, 1M-review one; several for ten users).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
out=bench/out
mkdir -p "$out"
go build -o "$out/srs" ./cmd/srs
go build -o "$out/gen" ./bench/gen
srs=$PWD/$out/srs
now=2026-11-27T10:00:00Z
export SRS_NOW=$now TZ=UTC SRS_USER=user00

gen() { # name cards reviews users
  [ -f "$out/$1.db" ] || "$out/gen" -db "$out/$1.db" -cards "$2" -reviews "$3" -users "$4" >&2
}
gen small 1000 10000 1
gen big 100000 1000000 1
gen team 100000 1000000 10
[ -f "$out/big.md" ] || "$out/gen" -markdown "$out/big.md" -cards 100000
# Open each collection once: a schema upgrade, if any, is not what is timed.
for db in small big team; do "$srs" --db "$out/$db.db" status >/dev/null; done

# median of the wall-clock milliseconds of running "$@" $runs times
wall() {
  local t=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    e=$(date +%s%N)
    t+=($(( (e - s) / 100000 )))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.1f", m/10}'
}
# peak RSS (MiB) of one run of "$@"
rss() {
  /usr/bin/time -f %M -o "$out/rss" "$@" >/dev/null 2>&1
  awk '{printf "%.1f", $1/1024}' "$out/rss"
}
review_first_card() { printf 'q\n' | "$srs" --db "$1" review --lines; }
export -f review_first_card
export srs

echo "| what | measured (median of $runs) | baseline, same run |"
echo "|---|---|---|"
tru=$(wall /bin/true)
s1=$(wall "$srs" --db "$out/small.db" status)
s2=$(wall "$srs" --db "$out/big.db" status)
echo "| \`srs status\`, 100k cards / 1M reviews | $s2 ms | $s1 ms at 1k cards; /bin/true $tru ms |"
st=$(wall "$srs" --db "$out/team.db" status)
echo "| \`srs status\`, 100k cards / 1M reviews × 10 users | $st ms | $s2 ms with 1 user |"
cp "$out/small.db" "$out/small.db.copy"; cp "$out/big.db" "$out/big.db.copy"
f1=$(wall review_first_card "$out/small.db")
f2=$(wall review_first_card "$out/big.db")
echo "| first card of \`srs review --lines\` (start, queue, first card, quit) | $f2 ms | $f1 ms at 1k cards |"
# A session that rates cards for a while, through every path of a day.
session() { yes $'\n3' | head -400 | "$srs" --db "$1" review --lines; }
export -f session
r1=$(rss bash -c 'session "$0"' "$out/small.db.copy")
r2=$(rss bash -c 'session "$0"' "$out/big.db.copy")
echo "| peak RSS of a review session (200 ratings), 100k cards | $r2 MiB | $r1 MiB at 1k cards |"

imp=$out/import.db
rm -f "$imp"
i1=$(rss "$srs" --db "$imp" import "$out/big.md")
rm -f "$imp"; "$srs" --db "$imp" status >/dev/null
t1=$(wall bash -c "rm -f $imp.x; cp $imp $imp.x; $srs --db $imp.x import $out/big.md")
tc=$(wall bash -c "rm -f $imp.x; cp $imp $imp.x")
"$srs" --db "$imp" import "$out/big.md" >/dev/null
t2=$(wall "$srs" --db "$imp" import "$out/big.md")
echo "| \`srs import\` of a 100k-card Markdown deck | $t1 ms (incl. $tc ms copying the empty db) | peak RSS $i1 MiB |"
echo "| re-import unchanged | $t2 ms | $s1 ms for \`srs status\` at 1k |"

e1=$(wall "$srs" --db "$out/big.db" export --format apkg --with-scheduling -o "$out/big.apkg")
er=$(rss "$srs" --db "$out/big.db" export --format apkg --with-scheduling -o "$out/big.apkg")
echo "| \`srs export --format apkg --with-scheduling\`, 100k cards / 1M reviews | $e1 ms, peak RSS $er MiB | $(ls -l "$out/big.apkg" | awk '{printf "%.1f MiB apkg", $5/1048576}') |"

size=$(stat -c %s "$out/big.db")
echo "| database size, 100k cards / 1M reviews | $((size / 1048576)) MiB | $((size / 100000)) B per card, $((size / 1000000)) B per review (all in) |"

# One rating committed, in-process, beside the floor measured in the same
# run: the store benchmark and a bare bbolt commit, interleaved run by run
# so that the disk's mood hits both alike. Also a sitting of 64 ratings
# with the settle that ends it, per rating.
go test -c -o "$out/store.test" ./store
export SRS_BENCH_DIR=${SRS_BENCH_DIR:-/tmp/srs-bench}
rec=() floor=() sess=()
for _ in $(seq "$runs"); do
  res=$(cd store && "../$out/store.test" -test.run x -test.bench 'Record/cards=100000|Session/cards=100000|BoltCommit' -test.count 1)
  rec+=($(awk '/^BenchmarkRecord/ {print $3}' <<<"$res"))
  sess+=($(awk '/^BenchmarkSession/ {print $5}' <<<"$res"))
  floor+=($(awk '/^BenchmarkBoltCommit/ {print $3}' <<<"$res"))
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]}'; }
r=$(med "${rec[@]}") f=$(med "${floor[@]}") se=$(med "${sess[@]}")
echo "| one rating committed (in-process), 100k cards / 1M reviews | $((r / 1000)) µs ($(awk -v a="$r" -v b="$f" 'BEGIN {printf "%.2f", a/b}')× the floor) | bare bbolt commit of one 200-byte put: $((f / 1000)) µs |"
echo "| a rating in a 64-rating sitting, with its share of the settles | $((se / 1000)) µs ($(awk -v a="$se" -v b="$f" 'BEGIN {printf "%.2f", a/b}')× the floor) | |"
