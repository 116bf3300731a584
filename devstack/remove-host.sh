#!/usr/bin/env bash
# devstack/remove-host.sh NAME: switch off a host devstack/add-host.sh added: its
# strato-compute, guests, libvirtd, Open vSwitch and ovn-controller stop, its namespace
# and link go; its state stays in $STRATO_STATE_DIR/hosts/NAME for the next add-host.sh.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_DIR=$REPO_DIR/devstack/lib
for lib in common ovs ovn libvirt strato hosts; do
    # shellcheck source=/dev/null
    source "$LIB_DIR/$lib.sh"
done

[[ $EUID -eq 0 ]] || die "run remove-host.sh as root"
[[ $# -eq 1 && -d $(host_dir "$1") ]] || die "usage: remove-host.sh NAME (an added host)"
remove_host "$1"
