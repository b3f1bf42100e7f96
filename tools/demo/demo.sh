#!/usr/bin/env bash
# make demo: one Hải Phòng city node on the simulated clock (10 March 2026, 08:00), March 2026
# figures from real wards and departments submitted through the CLI, then the city's roll-up
# with its breakdown. Stays up for queries until Ctrl-C when run from a terminal; stops by
# itself otherwise. Data is kept under demo-data/ (or $TONGHOP_DEMO_DIR).
set -euo pipefail
BUILD=${1:-build}
NODE="$BUILD/services/node/tonghop-node"
CLI="$BUILD/tools/cli/tonghop"
DIR=${TONGHOP_DEMO_DIR:-$PWD/demo-data}
for bin in "$NODE" "$CLI"; do
  [[ -x $bin ]] || { echo "demo: $bin is missing; run make build" >&2; exit 1; }
done

rm -rf "$DIR"
mkdir -p "$DIR/values"
cat > "$DIR/city-31.textproto" <<CONFIG
# Hải Phòng's city node for the demo: five wards and three departments submit directly.
unit: "31"
role: ROLE_CITY
listen_address: "127.0.0.1:0"
data_dir: "$DIR/city-31"
children { code: "10507" kind: KIND_UNIT }  # Phường Thành Đông
children { code: "10525" kind: KIND_UNIT }  # Phường Hải Dương
children { code: "10532" kind: KIND_UNIT }  # Phường Lê Thanh Nghị
children { code: "10537" kind: KIND_UNIT }  # Phường Tân Hưng
children { code: "10543" kind: KIND_UNIT }  # Phường Việt Hoà (does not report this month)
children { code: "31.VP" kind: KIND_UNIT }
children { code: "31.SKHCN" kind: KIND_UNIT }
children { code: "31.STC" kind: KIND_UNIT }
CONFIG

NODE_PID=""
stop_node() {
  if [[ -n $NODE_PID ]] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID" && wait "$NODE_PID" 2>/dev/null || true
    echo "Node stopped. Its data is kept in $DIR"
  fi
  NODE_PID=""
}
trap stop_node EXIT
trap 'exit 130' INT TERM

"$NODE" --config="$DIR/city-31.textproto" --clock=simulated \
  --start_time=2026-03-10T08:00:00+07:00 --port_file="$DIR/port" >"$DIR/node.log" 2>&1 &
NODE_PID=$!
for _ in $(seq 1 200); do  # at most 20 s
  [[ -s $DIR/port ]] && break
  kill -0 "$NODE_PID" 2>/dev/null || { cat "$DIR/node.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s $DIR/port ]] || { echo "demo: the node did not start" >&2; exit 1; }
TARGET="127.0.0.1:$(cat "$DIR/port")"
tonghop() { "$CLI" --target="$TARGET" "$@"; }

echo "== A Hải Phòng city node listens on $TARGET (simulated clock):"
tonghop clock
echo
echo "== The form Phường Hải Dương (10525) fills for March 2026 (tonghop template):"
tonghop template --unit=10525 --period=2026-03 --out="$DIR/values/template-10525.csv"
cut -d, -f1-5 "$DIR/values/template-10525.csv" | sed 's/^\xEF\xBB\xBF//'

# ward code, then numerator/denominator of QD11-01 QD11-03X QD11-06 QD11-07 QD11-10 QD11-11 HP-5G
ward_values() {
  local file="$DIR/values/$1.csv"
  printf 'indicator,numerator,denominator,value,note\n' >"$file"
  local codes=(QD11-01 QD11-03X QD11-06 QD11-07 QD11-10 QD11-11 HP-5G)
  shift
  for code in "${codes[@]}"; do
    printf '%s,%s,%s,,\n' "$code" "$1" "$2" >>"$file"
    shift 2
  done
  echo "$file"
}
echo
echo "== Wards submit their March figures (tonghop submit):"
for w in \
  "10507 45 50 70 100 8 10 120 120 14 16 950 1000 8200 9000" \
  "10525 5 5 1 3 0 0 30 30 9 9 400 410 31000 40000" \
  "10532 38 40 81 100 12 15 64 66 20 22 1200 1230 27000 30000" \
  "10537 19999 25000 700 1000 40 50 88 90 7 8 611 640 12000 15000"; do
  set -- $w
  unit=$1
  file=$(ward_values "$@")
  echo "-- $unit"
  tonghop submit --unit="$unit" --period=2026-03 --file="$file" --actor=demo
done

echo
echo "== Departments submit the city-level indicators:"
cat >"$DIR/values/31.VP.csv" <<CSV
indicator,numerator,denominator,value,note
QD11-02,18450,19000,,hồ sơ công việc xử lý trên môi trường điện tử
QD11-03C,13900,19000,,
QD11-04,1480,1650,,
QD11-05,88,120,,
QD11-06,930,1000,,phần của Trung tâm Phục vụ Hành chính công thành phố
QD11-07,1650,1650,,
QD11-10,410,430,,
QD11-11,5120,5300,,
CSV
cat >"$DIR/values/31.SKHCN.csv" <<CSV
indicator,numerator,denominator,value,note
QD11-08,21000,24000,,
QD11-09,310,400,,
QD11-12,,,3,sản phẩm lũy kế từ đầu năm
CSV
for unit in 31.VP 31.SKHCN; do
  echo "-- $unit"
  tonghop submit --unit="$unit" --period=2026-03 --file="$DIR/values/$unit.csv" --actor=demo
done

echo
echo "== Phường Hải Dương corrects one figure (a new revision; the other values stay):"
printf 'indicator,numerator,denominator,value,note\nQD11-01,6,6,,bổ sung 1 cán bộ\n' \
  >"$DIR/values/10525-fix.csv"
tonghop submit --unit=10525 --period=2026-03 --file="$DIR/values/10525-fix.csv" --actor=demo
echo "-- the same command again changes nothing:"
tonghop submit --unit=10525 --period=2026-03 --file="$DIR/values/10525-fix.csv" --actor=demo

echo
echo "== Hải Phòng's consolidated report for March 2026 (tonghop rollup --breakdown):"
tonghop rollup --period=2026-03 --breakdown

cat <<HELP

== Query it yourself while the node runs:
  $CLI --target=$TARGET rollup --period=2026-03 --breakdown
  $CLI --target=$TARGET rollup --period=2026-03 --format=csv
  $CLI --target=$TARGET rollup --period=2026-03 --unit=10525
  $CLI --target=$TARGET catalog
HELP
if [[ -t 0 ]]; then
  echo "The node keeps running; press Ctrl-C to stop it."
  wait "$NODE_PID" || true
else
  echo "Standard input is not a terminal: stopping."
fi
