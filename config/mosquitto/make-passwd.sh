#!/usr/bin/env bash
# Builds a Mosquitto password file for the fleet.
#   usage: FLEET_SERVICE_PASSWORD=... make-passwd.sh devices.csv > passwd
# devices.csv: one "device-id,secret" per line ('#' lines and blank lines are skipped). Device ids follow the wire rule
# [A-Za-z0-9_-]{1,64}; they become topic levels and the %u of the ACL.
# Uses mosquitto_passwd (Debian package 'mosquitto'); the C# equivalent is MosquittoPasswordFile in FleetOrchestrator.Mqtt.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: FLEET_SERVICE_PASSWORD=... $0 devices.csv > passwd" >&2; exit 2; }
command -v mosquitto_passwd >/dev/null || { echo "mosquitto_passwd not found: install the Debian package 'mosquitto'" >&2; exit 1; }
: "${FLEET_SERVICE_PASSWORD:?set FLEET_SERVICE_PASSWORD to the broker password of the orchestrator}"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
mosquitto_passwd -b "$out" fleet-orchestrator "$FLEET_SERVICE_PASSWORD"
line=0
while IFS=, read -r id secret || [ -n "$id" ]; do
  line=$((line + 1))
  [[ -z "$id" || "$id" == \#* ]] && continue
  if ! [[ "$id" =~ ^[A-Za-z0-9_-]{1,64}$ ]]; then
    echo "$1:$line: device id '$id' is not [A-Za-z0-9_-]{1,64}" >&2; exit 1
  fi
  [ -n "$secret" ] || { echo "$1:$line: device '$id' has no secret" >&2; exit 1; }
  mosquitto_passwd -b "$out" "$id" "$secret"
done < "$1"
cat "$out"
