#!/bin/bash
# make-certs.sh DIR UNIT[,NAME...] ...
#
# The certificates of a tonghop federation, for mutual TLS between nodes (the
# `tls` block of a node's config; docs/architecture.md "Mutual TLS").
#
# - DIR/ca.pem, DIR/ca.key: the federation's certificate authority, made on
#   the first run and reused after (keep ca.key offline; every node gets
#   ca.pem as its tls.ca_file).
# - For each UNIT: DIR/UNIT.pem and DIR/UNIT.key, a certificate signed by the
#   CA for the node of that unit ("VN", "31", "31.SKHCN", "10525"). It names
#   the unit as DNS:UNIT, which is what identifies the node to its parent and
#   to its children, and each NAME after it: the host names or IP addresses
#   the node is reached at, for clients that check those (the CLI's
#   --tls_server_name defaults to the host of --target).
#
# Example: deploy/make-certs.sh /etc/tonghop/pki VN 31,tonghop.skhcn.haiphong.gov.vn 10525,10.0.0.5
#
# Keys are EC P-256, written with mode 0600. An existing UNIT.pem is replaced; the old one,
# still valid until revoked, is kept as DIR/replaced/UNIT-SERIAL.pem for
# revoke-cert.sh (which should run first: revoke-cert.sh DIR UNIT). Host names that
# read as unit codes ("VN", "31", "31.SKHCN") are refused: they would let the node pass as that unit.
# Needs the openssl command (Debian's openssl package).
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1
shift
mkdir -p "$dir"
umask 077

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Runs openssl quietly, printing what it said when it fails.
run_openssl() {
  if ! openssl "$@" >"$work/out" 2>&1; then
    echo "make-certs.sh: openssl $1 failed:" >&2
    cat "$work/out" >&2
    exit 1
  fi
}
# Unit codes as the registry writes them: VN, a city "31", a commune "10525",
# a department or office "31.SKHCN", "10525.VHXH".
unit_code='^(VN|[0-9]+(\.[A-Za-z0-9]+)?)$'

# Check every argument before making anything.
for entry in "$@"; do
  IFS=, read -r -a names <<<"$entry"
  if [[ ! "${names[0]}" =~ $unit_code ]]; then
    echo "make-certs.sh: '${names[0]}' is not a unit code (\"VN\", \"31\", \"31.SKHCN\", \"10525\")" >&2
    exit 2
  fi
  for name in "${names[@]:1}"; do
    # A name that reads as a unit code would let this node pass as that unit.
    if [[ "$name" =~ $unit_code ]]; then
      echo "make-certs.sh: '$name' (a name of ${names[0]}) reads as a unit code; give host names or IP addresses" >&2
      exit 2
    fi
  done
done

if [ ! -e "$dir/ca.pem" ]; then
  run_openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 3650 -subj "/CN=tonghop federation CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  chmod 0644 "$dir/ca.pem"
fi

ext=$work/ext
for entry in "$@"; do
  IFS=, read -r -a names <<<"$entry"
  unit=${names[0]}
  san="DNS:$unit"
  for name in "${names[@]:1}"; do
    if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then
      san="$san,IP:$name"
    else
      san="$san,DNS:$name"
    fi
  done
  printf '%s\n' "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=$san" >"$ext"
  if [ -e "$dir/$unit.pem" ]; then
    old_serial=$(openssl x509 -in "$dir/$unit.pem" -noout -serial | cut -d= -f2)
    mkdir -p "$dir/replaced"
    cp -p "$dir/$unit.pem" "$dir/replaced/$unit-$old_serial.pem"
    if ! grep -q "^R.*	$old_serial	" "$dir/index.txt" 2>/dev/null; then
      echo "make-certs.sh: the certificate $unit replaces stays valid until revoked:" \
        "deploy/revoke-cert.sh $dir $dir/replaced/$unit-$old_serial.pem" >&2
    fi
  fi
  run_openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/$unit.key" -out "$work/$unit.csr" -subj "/CN=$unit"
  run_openssl x509 -req -in "$work/$unit.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 825 -extfile "$ext" -out "$dir/$unit.pem"
  chmod 0644 "$dir/$unit.pem"
  echo "$dir/$unit.pem ($san)"
done
