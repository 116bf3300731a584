#!/usr/bin/env bash
# devstack/unstack.sh: stop what devstack/stack.sh started, by pid, and nothing else.
#
# The hosts devstack/add-host.sh added (devstack/lib/hosts.sh) and the six Strato
# services always (SIGTERM, then SIGKILL after STRATO_STOP_TIMEOUT seconds,
# default 30); the infrastructure daemons only if stack.sh started them (listed in
# $STRATO_STATE_DIR/run/started-by-stack.list), so a broker or OVS that was already
# running stays up. Data (databases, config, venvs) is kept: stack.sh brings it all back.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_DIR=$REPO_DIR/devstack/lib
for lib in common database rabbitmq ovs ovn libvirt strato hosts; do
    # shellcheck source=/dev/null
    source "$LIB_DIR/$lib.sh"
done

main() {
    [[ $EUID -eq 0 ]] || die "run unstack.sh as root"
    remove_hosts
    stop_strato_services
    stop_libvirt
    stop_ovn_controller
    stop_ovs
    stop_ovn_central
    if was_started rabbitmq; then
        stop_rabbitmq
    fi
    stop_database
    rm -f "$STARTED_LIST"
    log "stopped"
}

main "$@"
