#!/usr/bin/env bash
# corogen's benchmark run: builds cmd/corobench and runs its rows (go-coro,
# go-coro-virtual) interleaved with the peers' rows in one run of the peers'
# driver (run.sh of the peers folder, with EXTRA_CONFIGS), then writes the
# Markdown table of medians, min–max and ratios to go-coro (bench/table).
#
# usage: bench/run.sh [WORKLOAD_REGEX]     e.g. bench/run.sh 'yield|chain'
# env:   PEERS=DIR    the peers folder (default: ../shared/peers beside the repo,
#                     else /work/shared/peers)
#        REPS=5       runs per config (passed on)
#        OUTDIR=DIR   raw lines and tables (default: /tmp/corobench-results)
#        INSTALL=1    first apt-get install python3-uvloop (root, Debian; passed on)
#        PY=python3, SYSPY=/usr/bin/python3   the interpreters (passed on)
#        HEAVY=0      leave out the 1,000,000-task rows
# Python (asyncio, uvloop) and Node peers are optional: rows whose runtime is
# not installed are left out, with a note on stderr.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${PEERS:-}
if [[ -z $PEERS ]]; then
  for d in "$REPO/../shared/peers" /work/shared/peers; do
    [[ -x $d/run.sh ]] && PEERS=$(cd "$d" && pwd) && break
  done
fi
[[ -n $PEERS && -x $PEERS/run.sh ]] || { echo "bench/run.sh: no peers folder (set PEERS=/abs/path/to/shared/peers)" >&2; exit 2; }
WORKLOADS=${1:-[a-z_]+}
export OUTDIR=${OUTDIR:-/tmp/corobench-results}
export PY=${PY:-python3} SYSPY=${SYSPY:-/usr/bin/python3}
mkdir -p "$OUTDIR"

BIN=$OUTDIR/corobench
(cd "$REPO" && go build -o "$BIN" ./cmd/corobench)
GOPEERS=/tmp/peers-go-bin # where the peers' run.sh builds the Go peers

CONF=$OUTDIR/corogen-configs.txt
{
  echo "# workload peer N command: corogen's rows, and Go peers at the same N for the scaling rows"
  echo "yield go-coro 10000000 $BIN"
  for n in 10000 100000 1000000; do
    echo "spawn_gather go-coro $n $BIN"
    echo "spawn_gather go-coro-eager $n $BIN"
    echo "spawn_gather go-alloc-floor $n $BIN"
  done
  for n in 10000 100000; do
    for p in go-goroutine go-goroutine-mp go-errgroup; do echo "spawn_gather $p $n $GOPEERS"; done
  done
  for n in 10000 20000 100000 1000000; do
    [[ ${HEAVY:-1} == 0 && $n == 1000000 ]] && continue
    echo "sleepers go-coro $n $BIN"
    echo "sleepers go-coro-virtual $n $BIN"
  done
  echo "sleepers go-goroutine 10000 $GOPEERS"
  echo "sleepers go-goroutine-mp 10000 $GOPEERS"
  echo "chain go-coro 100000000 $BIN"
} >"$CONF"

# Leave out the peers whose runtime is missing (run.sh itself skips uvloop).
peers='go-'
if command -v "$PY" >/dev/null; then peers+='|python-asyncio$'; else echo "# python-asyncio skipped: no $PY" >&2; fi
if [[ -x $SYSPY ]]; then peers+='|python-asyncio-deb|python-uvloop'; else echo "# python-asyncio-deb, python-uvloop skipped: no $SYSPY" >&2; fi
if command -v node >/dev/null; then peers+='|node'; else echo "# node skipped: no node on PATH" >&2; fi

EXTRA_CONFIGS=$CONF "$PEERS/run.sh" "^($WORKLOADS) ($peers)" >/dev/null
RAW=$(ls -t "$OUTDIR"/results-*.txt | head -1)
TABLE=${RAW%.txt}-corogen.md
(cd "$REPO" && go run ./bench/table "$RAW") >"$TABLE"
echo "raw lines: $RAW" >&2
echo "table: $TABLE" >&2
cat "$TABLE"
