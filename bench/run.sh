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
# peak private memory (MiB) of one run of "${@:2}" with standard input
# from $1: the largest RssAnon
# (/proc/PID/status: heap, stacks, anonymous maps) seen sampling every
# 10 ms. Peak RSS would also count the database's memory map, which is
# clean page cache: shared with every other reader of the file, dropped by
# the kernel whenever it needs the memory, and as large as whatever the
# command happened to read.
private() {
  "${@:2}" <"$1" >/dev/null 2>&1 &
  local pid=$! peak=0 state=R k v _
  while [ "$state" != Z ] && [ -r "/proc/$pid/status" ]; do
    while read -r k v _; do
      case $k in
      State:) state=$v ;;
      RssAnon:) [ "$v" -gt "$peak" ] && peak=$v ;;
      esac
    done 2>/dev/null <"/proc/$pid/status" || true
    sleep 0.01
  done
  wait "$pid" || { echo "failed: ${*:2}" >&2; exit 1; }
  awk -v k="$peak" 'BEGIN {printf "%.1f", k/1024}'
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
# A session of up to 200 ratings, the day after the collections' last
# (whose reviews used up that day's limit): 200 at 100k cards, as many as
# are due at 1k.
for _ in $(seq 200); do printf '\n3\n'; done >"$out/session.in"
tomorrow=2026-11-28T10:00:00Z
r1=$(private "$out/session.in" env SRS_NOW=$tomorrow "$srs" --db "$out/small.db.copy" review --lines)
r2=$(private "$out/session.in" env SRS_NOW=$tomorrow "$srs" --db "$out/big.db.copy" review --lines)
echo "| peak private memory of a review session (200 ratings), 100k cards | $r2 MiB | $r1 MiB at 1k cards (102 ratings) |"

imp=$out/import.db
rm -f "$imp"
i1=$(private /dev/null "$srs" --db "$imp" import "$out/big.md")
rm -f "$imp"; "$srs" --db "$imp" status >/dev/null
t1=$(wall bash -c "rm -f $imp.x; cp $imp $imp.x; $srs --db $imp.x import $out/big.md")
tc=$(wall bash -c "rm -f $imp.x; cp $imp $imp.x")
"$srs" --db "$imp" import "$out/big.md" >/dev/null
t2=$(wall "$srs" --db "$imp" import "$out/big.md")
echo "| \`srs import\` of a 100k-card Markdown deck | $t1 ms (incl. $tc ms copying the empty db) | peak private memory $i1 MiB |"
echo "| re-import unchanged | $t2 ms | $s1 ms for \`srs status\` at 1k |"

e1=$(wall "$srs" --db "$out/big.db" export --format apkg --with-scheduling -o "$out/big.apkg")
er=$(private /dev/null "$srs" --db "$out/big.db" export --format apkg --with-scheduling -o "$out/big.apkg")
echo "| \`srs export --format apkg --with-scheduling\`, 100k cards / 1M reviews | $e1 ms, peak private memory $er MiB | $(ls -l "$out/big.apkg" | awk '{printf "%.1f MiB apkg", $5/1048576}') |"

size=$(stat -c %s "$out/big.db")
echo "| database size, 100k cards / 1M reviews | $((size / 1048576)) MiB | $((size / 100000)) B per card, $((size / 1000000)) B per review (all in) |"

# One rating committed, in-process, beside the floor measured in the same
# run: the store benchmark and a bare bbolt commit, interleaved run by run
# so that the disk's mood hits both alike; and the queue a next card waits
# for.
go test -c -o "$out/store.test" ./store
go test -c -o "$out/queue.test" ./queue
export SRS_BENCH_DIR=${SRS_BENCH_DIR:-/tmp/srs-bench}
rec=() floor=() queue=()
for _ in $(seq "$runs"); do
  res=$(cd store && "../$out/store.test" -test.run x -test.bench 'Record/cards=100000|BoltCommit' -test.count 1)
  rec+=($(awk '/^BenchmarkRecord/ {print $3}' <<<"$res"))
  floor+=($(awk '/^BenchmarkBoltCommit/ {print $3}' <<<"$res"))
  res=$(cd queue && "../$out/queue.test" -test.run x -test.bench 'Build/cards=100000' -test.count 1)
  queue+=($(awk '/^BenchmarkBuild/ {print $3}' <<<"$res"))
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]}'; }
r=$(med "${rec[@]}") f=$(med "${floor[@]}") qu=$(med "${queue[@]}")
echo "| one rating committed (in-process), 100k cards / 1M reviews | $((r / 1000)) µs ($(awk -v a="$r" -v b="$f" 'BEGIN {printf "%.2f", a/b}')× the floor) | bare bbolt commit of one 200-byte put: $((f / 1000)) µs |"

# What a user waits for after rating a card: the key press to the next
# card on screen, through the full-screen UI's calls (cmd/srs
# BenchmarkKeypress), 2000 ratings, p50 and p99, beside the queue alone.
go test -c -o "$out/srs.test" ./cmd/srs
res=$(cd cmd/srs && "../../$out/srs.test" -test.run x -test.bench Keypress -test.benchtime 2000x)
metric() { awk -v m="$1" '/^BenchmarkKeypress/ {for (i = 1; i < NF; i++) if ($(i+1) == m) print $i}' <<<"$res"; }
echo "| key press to the next card on screen (in-process, 2000 ratings), 100k cards / 1M reviews | p50 $(metric p50-ms) ms, p99 $(metric p99-ms) ms (rating $(metric rate-p50-ms) ms, next card $(metric next-p50-ms) ms, screen $(metric view-p50-ms) ms at p50) | what today holds alone (\`queue.Build\`, at the collection's today): $(awk -v q="$qu" 'BEGIN {printf "%.1f", q/1e6}') ms |"
