#!/usr/bin/env bash
# make demo: the reporting chain on loopback, on one simulated clock (10 March 2026, 08:00),
# then a walk through the month: finalisations, the city's status before and after the 20th.
# tonghop-cluster starts the central node, the Hải Phòng and Cần Thơ city nodes, ward and
# department nodes (tools/demo/cluster.textproto); wards, offices and departments submit their
# March 2026 figures (and Q1 and 2026 ones) with the CLI; the demo waits until every node has
# delivered to its parent, then prints the national roll-up and the per-city breakdown.
# From a terminal it keeps the cluster up until Ctrl-C; otherwise it stops by itself.
# Everything is kept under demo-data/ (or $TONGHOP_DEMO_DIR).
set -euo pipefail
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
NODE="$BUILD/services/node/tonghop-node"
CLI="$BUILD/tools/cli/tonghop"
CLUSTER="$BUILD/tools/cluster/tonghop-cluster"
DIR=${TONGHOP_DEMO_DIR:-$PWD/demo-data}
for bin in "$NODE" "$CLI" "$CLUSTER"; do
  [[ -x $bin ]] || { echo "demo: $bin is missing; run make build" >&2; exit 1; }
done
rm -rf "$DIR"
mkdir -p "$DIR/values"
STATE="$DIR/cluster"

UP=0
down() {
  if [[ $UP == 1 ]]; then
    "$CLUSTER" --dir="$STATE" down >/dev/null 2>&1 || true
    echo "All nodes stopped. Their data, configs and logs are kept in $STATE"
    UP=0
  fi
}
trap down EXIT
trap 'exit 130' INT TERM

echo "== Starting the chain (tonghop-cluster up):"
"$CLUSTER" up --spec="$HERE/cluster.textproto" --dir="$STATE" \
  --start_time=2026-03-10T08:00:00+07:00 --node_binary="$NODE"
UP=1
addr() { sed -n 's/^listen_address: "\(.*\)"$/\1/p' "$STATE/$1/node.textproto"; }
cli() { local node=$1; shift; "$CLI" --target="$(addr "$node")" "$@"; }

# fill UNIT PERIOD NODE SEED: fetch the unit's template from NODE and fill every row with
# plausible figures (deterministic per SEED), then submit it there.
fill() {
  local unit=$1 period=$2 node=$3 seed=$4
  local template="$DIR/values/$unit-$period.template.csv" file="$DIR/values/$unit-$period.csv"
  cli "$node" template --unit="$unit" --period="$period" --out="$template" >/dev/null
  RANDOM=$seed
  printf 'indicator,numerator,denominator,value,note\n' >"$file"
  local code
  for code in $(sed 1d "$template" | cut -d, -f1 | tr -d '\r'); do
    case $code in
      QD11-12 | HP-SHARED-INFRA) printf '%s,,,%d,\n' "$code" $((RANDOM % 8 + 1)) >>"$file" ;;
      *)
        local den=$((RANDOM % 900 + 100))
        printf '%s,%d,%d,,\n' "$code" $((den - RANDOM % (den / 4 + 1))) "$den" >>"$file"
        ;;
    esac
  done
  echo "-- $unit → $node ($period): $(($(wc -l <"$file") - 1)) indicators"
  cli "$node" submit --unit="$unit" --period="$period" --file="$file" --actor=demo >/dev/null
}

echo
echo "== Wards, offices and departments submit (tonghop submit):"
seed=1
for entry in 10525:10525 10525.VHXH:10525 10525.TTPVHCC:10525 10507:10507 10532:31 \
  10537:31 31.SKHCN:31.SKHCN 31.VP:31 31120:31120 31135:31135 31147:92 31150:92 31153:92 \
  92.SKHCN:92.SKHCN 92.VP:92; do
  fill "${entry%%:*}" 2026-03 "${entry#*:}" $((seed++))
done
fill 92.SKHCN 2026-Q1 92.SKHCN $((seed++))
fill 31.SKHCN 2026 31.SKHCN $((seed++))
fill 31.STC 2026 31 $((seed++))
echo "(Phường Việt Hoà, 10543, has not reported: it shows in the coverage.)"

echo
echo "== Phường Hải Dương corrects one figure; the correction travels up the chain:"
printf 'indicator,numerator,denominator,value,note\nQD11-01,57,57,,bổ sung chữ ký số\n' \
  >"$DIR/values/10525-fix.csv"
cli 10525 submit --unit=10525 --period=2026-03 --file="$DIR/values/10525-fix.csv" --actor=demo \
  | sed -n '/Phiên bản/p;/QD11-01/p'

# Wait (at most 30 s) until every node has delivered its newest state to its parent.
nodes=$(sed -n 's/^nodes { unit: "\([^"]*\)".*/\1/p' "$HERE/cluster.textproto")
for _ in $(seq 1 300); do
  pending=0
  for n in $nodes; do
    out=$(cli "$n" info 2>/dev/null | sed -n 's/^outbox: \([0-9]*\).*/\1/p')
    [[ ${out:-1} == 0 ]] || pending=1
  done
  [[ $pending == 0 ]] && break
  sleep 0.1
done
[[ $pending == 0 ]] || echo "demo: some nodes still have undelivered reports" >&2

echo
echo "== The national roll-up for March 2026 at the central node, per city (tonghop rollup):"
cli VN rollup --period=2026-03 --breakdown
echo
echo "== Quarterly (2026-Q1) and annual (2026) reports reach it too:"
cli VN rollup --period=2026-Q1
cli VN rollup --period=2026

echo
echo "== The month at Hải Phòng: every node's simulated clock moves together (tonghop-cluster clock)."
clock() { "$CLUSTER" --dir="$STATE" clock set --time="$1" >/dev/null; }
echo "-- 12 March: Phường Hải Dương finalises its report; the city finalises Phường Lê Thanh Nghị's:"
clock 2026-03-12T09:00:00+07:00
cli 10525 finalize --period=2026-03 --actor="Phòng Văn hóa - Xã hội" | head -4
cli 31 finalize --unit=10532 --period=2026-03 --actor="Văn phòng Sở KH&CN" | head -4
echo
echo "-- 18 March, before the 20th: the city's status and laggards (tonghop status, laggards):"
clock 2026-03-18T09:00:00+07:00
sleep 0.5
cli 31 status --period=2026-03
cli 31 laggards --period=2026-03
echo
echo "-- The city has reminded its laggards; Phường Thành Đông's node received it in-band"
echo "   (tonghop reminders --full at that ward):"
for _ in $(seq 1 100); do  # the city holds its step 2 s; the ward fetches every 2 s
  [[ $(cli 10507 reminders --format=csv 2>/dev/null | wc -l) -gt 1 ]] && break
  sleep 0.1
done
cli 10507 reminders --full | tail -n 14
echo
echo "-- 19 March 00:00: the ward and department nodes with figures finalise themselves, 24 h"
echo "   before the city's deadline. 21 March: Phường Tân Hưng finalises, after the 20th:"
clock 2026-03-19T08:00:00+07:00
sleep 0.5
clock 2026-03-21T09:00:00+07:00
cli 31 finalize --unit=10537 --period=2026-03 --actor="Văn phòng Sở KH&CN" | head -4
sleep 0.5
echo
echo "-- 21 March, after the 20th: Hải Phòng's status:"
cli 31 status --period=2026-03
echo
echo "-- 24 March 00:00: the cities finalise themselves 24 h before the central deadline (25th)."
echo "   The central node's status, with per-city and national rates:"
clock 2026-03-24T09:00:00+07:00
for _ in $(seq 1 100); do  # until both cities' final reports are in
  finals=$(cli VN status --period=2026-03 --format=csv 2>/dev/null | grep -cE '^(31|92),[^,]*,final_' || true)
  [[ $finals == 2 ]] && break
  sleep 0.1
done
cli VN status --period=2026-03

cat <<HELP

== Query it yourself while the cluster runs, e.g.:
  $CLI --target=$(addr VN) rollup --period=2026-03 --breakdown
  $CLI --target=$(addr VN) rollup --period=2026-03 --unit=31 --breakdown   # Hải Phòng's wards
  $CLI --target=$(addr 31) rollup --period=2026-03 --format=csv
  $CLI --target=$(addr 31) status --period=2026-03      # who has reported, on time or late
  $CLI --target=$(addr 31) rollup --period=2026-03 --breakdown --format=xlsx --out=$STATE/baocao-31.xlsx
  $CLI --target=$(addr VN) series --from=2026-01 --to=2026-03   # a trend, a column per month
  $CLUSTER --dir=$STATE clock advance --by=24h          # move every node's clock
  $CLUSTER --dir=$STATE status
HELP
if [[ -t 0 ]]; then
  echo "The cluster keeps running; press Ctrl-C to stop it."
  while true; do sleep 3600; done
else
  echo "Standard input is not a terminal: stopping."
fi
