#!/bin/sh
# Sets up Mosquitto's dynamic security plugin for FleetOrchestrator (mosquitto_ctrl, Debian package 'mosquitto').
#   dynsec-setup.sh init FILE
#       before the broker's first start: FILE (plugin_opt_config_file) with one client, the plugin's admin
#       $FLEET_DYNSEC_ADMIN (default fleet-admin) with password $FLEET_DYNSEC_ADMIN_PASSWORD, role 'admin'.
#   dynsec-setup.sh service [HOST [PORT]]
#       on the running broker: the orchestrator's traffic account $FLEET_SERVICE_USER (default fleet-orchestrator)
#       with password $FLEET_SERVICE_PASSWORD, in a role of the same name that may publish, receive and subscribe
#       (also through $share/<group>/...) under fleet/v1/. The same rules as DynamicSecurityCommands.CreateServiceRole.
# POSIX sh (no bash needed): docker/compose.yaml runs it with the eclipse-mosquitto image's busybox sh.
# Devices are not set up here: `fleet serve --mosquitto-dynsec ADMIN:PASSWORD` creates one client and one role per
# device when it is provisioned (POST /api/devices) and deletes both on revoke.
set -eu
command -v mosquitto_ctrl >/dev/null || { echo "mosquitto_ctrl not found: install the Debian package 'mosquitto'" >&2; exit 1; }
admin="${FLEET_DYNSEC_ADMIN:-fleet-admin}"
: "${FLEET_DYNSEC_ADMIN_PASSWORD:?set FLEET_DYNSEC_ADMIN_PASSWORD to the password of the dynamic security admin}"

case "${1:-}" in
  init)
    [ $# -eq 2 ] || { echo "usage: $0 init FILE" >&2; exit 2; }
    mosquitto_ctrl dynsec init "$2" "$admin" "$FLEET_DYNSEC_ADMIN_PASSWORD"
    ;;
  service)
    : "${FLEET_SERVICE_PASSWORD:?set FLEET_SERVICE_PASSWORD to the broker password of the orchestrator}"
    service="${FLEET_SERVICE_USER:-fleet-orchestrator}"
    host="${2:-127.0.0.1}"
    port="${3:-1883}"
    ctrl() { mosquitto_ctrl -h "$host" -p "$port" -u "$admin" -P "$FLEET_DYNSEC_ADMIN_PASSWORD" dynsec "$@"; }
    ctrl createRole "$service"
    for topic in 'fleet/v1/#' '$share/+/fleet/v1/#'; do
      for type in publishClientSend publishClientReceive subscribePattern unsubscribePattern; do
        # Publishing and receiving are checked against topic names, never against $share/... filters.
        case "$topic $type" in '$share'*' publishClient'*) continue ;; esac
        ctrl addRoleACL "$service" "$type" "$topic" allow 10
      done
    done
    ctrl createClient "$service" -p "$FLEET_SERVICE_PASSWORD"
    ctrl addClientRole "$service" "$service"
    ;;
  *)
    echo "usage: $0 init FILE | $0 service [HOST [PORT]]" >&2; exit 2
    ;;
esac
