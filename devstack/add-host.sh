#!/usr/bin/env bash
# devstack/add-host.sh NAME: one more hypervisor host on this machine, for the cloud
# devstack/stack.sh runs here: network namespace strato-NAME linked to this host by a
# veth on the underlay, its own Open vSwitch and ovn-controller (OVN chassis NAME, geneve
# on its underlay address), its own libvirtd (its own host UUID and guests, listening for
# migrations) and its own strato-compute, whose host is NAME. See devstack/lib/hosts.sh.
# Running it again for a host that runs is harmless; devstack/remove-host.sh NAME and
# devstack/unstack.sh switch hosts off again (their state stays for the next run).
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_DIR=$REPO_DIR/devstack/lib
for lib in common ovs ovn libvirt strato hosts; do
    # shellcheck source=/dev/null
    source "$LIB_DIR/$lib.sh"
done

main() {
    [[ $EUID -eq 0 ]] || die "run add-host.sh as root"
    [[ $# -eq 1 ]] || die "usage: add-host.sh NAME"
    local name=$1
    [[ $name =~ ^[a-z][a-z0-9-]{0,62}$ ]] ||
        die "host name $name: a lower-case letter, then letters, digits and '-'"
    [[ $name != "$STRATO_HOST" ]] || die "$name is this host's own name"
    [[ -e $STRATO_CONF ]] || die "no $STRATO_CONF: run devstack/stack.sh first"
    ovs-vsctl --timeout=5 br-exists "$UNDERLAY_BRIDGE" ||
        die "no $UNDERLAY_BRIDGE on this host: run devstack/stack.sh first"
    add_host "$name"
}

main "$@"
