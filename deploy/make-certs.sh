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
# Keys are EC P-256, written with mode 0600. An existing UNIT.pem is replaced.
# Needs the openssl command (Debian's openssl package).
set -euo pipefail

if [ $# -lt 2 ]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1
shift
mkdir -p "$dir"
umask 077

if [ ! -e "$dir/ca.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 3650 -subj "/CN=tonghop federation CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 0644 "$dir/ca.pem"
fi

ext=$(mktemp)
trap 'rm -f "$ext" "$dir"/*.csr' EXIT
for entry in "$@"; do
  IFS=, read -r -a names <<<"$entry"
  unit=${names[0]}
  if [[ ! "$unit" =~ ^[A-Za-z0-9][A-Za-z0-9.-]*$ ]]; then
    echo "make-certs.sh: '$unit' is not a unit code (\"31\", \"31.SKHCN\", \"10525\")" >&2
    exit 2
  fi
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
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$dir/$unit.key" -out "$dir/$unit.csr" -subj "/CN=$unit" 2>/dev/null
  openssl x509 -req -in "$dir/$unit.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -days 825 -extfile "$ext" -out "$dir/$unit.pem" 2>/dev/null
  chmod 0644 "$dir/$unit.pem"
  echo "$dir/$unit.pem ($san)"
done
