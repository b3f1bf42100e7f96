#!/bin/bash
# revoke-cert.sh DIR [UNIT|CERT.pem ...]
#
# Revokes certificates of the tonghop federation whose CA is in DIR (made by
# make-certs.sh) and writes the CA's revocation list, DIR/crl.pem: every node's
# tls.crl_file. Each argument is a unit code (its current DIR/UNIT.pem) or a
# certificate file. Without any, the list is only made anew.
#
# A node reads the list at start: give every node the new crl.pem and restart
# it. A node then refuses, in the handshake, a parent or a child whose
# certificate the list names.
#
# To replace a node's certificate (a lost or stolen key):
#   deploy/revoke-cert.sh DIR 10525 && deploy/make-certs.sh DIR 10525
#
# The list is valid for 825 days, as long as a certificate: a node refuses to
# start with an expired one (every handshake would fail), so make it anew
# before then. DIR keeps the record of what was revoked (index.txt).
# Needs the openssl command (Debian's openssl package).
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1
shift
if [ ! -r "$dir/ca.pem" ] || [ ! -r "$dir/ca.key" ]; then
  echo "revoke-cert.sh: no CA in $dir (ca.pem and ca.key, made by make-certs.sh)" >&2
  exit 2
fi
unit_code='^(VN|[0-9]+(\.[A-Za-z0-9]+)?)$'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_openssl() {
  if ! openssl "$@" >"$work/out" 2>&1; then
    echo "revoke-cert.sh: openssl $1 failed:" >&2
    cat "$work/out" >&2
    exit 1
  fi
}

# Check every argument before revoking anything.
certs=()
for arg in "$@"; do
  cert=$arg
  if [[ "$arg" =~ $unit_code ]]; then cert="$dir/$arg.pem"; fi
  if [ ! -r "$cert" ]; then
    echo "revoke-cert.sh: cannot read $cert" >&2
    exit 2
  fi
  # Only this CA's certificates (an expired one too), and never the CA's
  # own: a list revoking it would stop the whole federation for good.
  if ! openssl verify -no_check_time -CAfile "$dir/ca.pem" "$cert" >"$work/out" 2>&1; then
    echo "revoke-cert.sh: $cert is not a certificate of the CA in $dir:" >&2
    cat "$work/out" >&2
    exit 2
  fi
  if openssl x509 -in "$cert" -noout -ext basicConstraints 2>/dev/null | grep -q "CA:TRUE"; then
    echo "revoke-cert.sh: $cert is a CA certificate; revoke node certificates only" >&2
    exit 2
  fi
  certs+=("$cert")
done

# Absolute paths for the certificates, since openssl runs inside DIR below
# (so that the config names its files relatively, whatever DIR's name holds).
for i in "${!certs[@]}"; do
  certs[$i]=$(realpath "${certs[$i]}")
done
cd "$dir"
umask 077
touch index.txt
echo "unique_subject = no" >index.txt.attr
[ -e crlnumber ] || echo 01 >crlnumber
cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = tonghop
[tonghop]
database = ./index.txt
crlnumber = ./crlnumber
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
default_crl_days = 825
CNF

for cert in "${certs[@]}"; do
  serial=$(openssl x509 -in "$cert" -noout -serial | cut -d= -f2)
  if grep -q "^R.*	$serial	" index.txt; then
    echo "$cert (serial $serial): already revoked"
    continue
  fi
  run_openssl ca -config "$work/ca.cnf" -revoke "$cert"
  echo "$cert (serial $serial): revoked"
done
run_openssl ca -config "$work/ca.cnf" -gencrl -out crl.pem
chmod 0644 crl.pem
echo "$dir/crl.pem: $(grep -c '^R' index.txt || true) certificates revoked"
