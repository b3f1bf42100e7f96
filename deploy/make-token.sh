#!/bin/bash
# make-token.sh UNIT ACTOR TOKEN_FILE
#
# A new access token for a node that asks for tokens (the `tokens` of its config;
# README "Tokens"): 32 random bytes in hex, written to TOKEN_FILE (mode 0600) for
# whoever holds it (tonghop --token_file=TOKEN_FILE, or TONGHOP_TOKEN). Prints the
# line to add to the node's config, which keeps only the token's SHA-256:
#
#   tokens { sha256: "..." actor: "ACTOR" unit: "UNIT" }
#
# UNIT is the node's own unit (its secretariat: everything at the node) or a child's
# code (that unit's reports only). ACTOR names the holder in the audit log.
# Example: deploy/make-token.sh 10525 "Nguyễn Thị Lan, VP phường" lan.token
# Needs the openssl command (Debian's openssl package).
set -euo pipefail

if [ $# -ne 3 ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
unit=$1 actor=$2 file=$3
if [ -z "$unit" ] || [ -z "$actor" ]; then
  echo "make-token.sh: UNIT and ACTOR must not be empty" >&2
  exit 2
fi
if [[ "$actor$unit" =~ [[:cntrl:]] ]]; then
  echo "make-token.sh: UNIT and ACTOR must be one line of text" >&2
  exit 2
fi
if [ -e "$file" ] || [ -L "$file" ]; then
  echo "make-token.sh: $file exists; a new token goes to a new file" >&2
  exit 2
fi
umask 077
token=$(openssl rand -hex 32)
(set -o noclobber; printf '%s\n' "$token" >"$file")
sha=$(printf '%s' "$token" | openssl dgst -sha256 -r | cut -d' ' -f1)
quote() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }
printf 'tokens { sha256: "%s" actor: %s unit: %s }\n' "$sha" "$(quote "$actor")" "$(quote "$unit")"
