# devstack/lib/ovs.sh: Open vSwitch in the host namespace, br-int on the userspace datapath.
# shellcheck shell=bash

OVS_DIR=$STRATO_STATE_DIR/ovs
# The compute agent plugs guest NICs into br-int through this socket: the defaults of
# [compute] ovsdb_connection and integration_bridge.
export OVS_RUNDIR=/run/openvswitch
OVS_DB_SOCK=$OVS_RUNDIR/db.sock

# ovsdb_prepare FILE SCHEMA: create the database, or convert it after a package upgrade.
ovsdb_prepare() {
    local db=$1 schema=$2
    if [[ ! -e $db ]]; then
        ovsdb-tool create "$db" "$schema"
    elif [[ $(ovsdb-tool needs-conversion "$db" "$schema") == yes ]]; then
        log "converting $db to the installed schema"
        ovsdb-tool convert "$db" "$schema"
    fi
}

# stop_ovs_daemon NAME PIDFILE CTL [EXIT-OPTION]: ask an OVS/OVN daemon to exit,
# SIGTERM if it won't.
stop_ovs_daemon() {
    local name=$1 pidfile=$2 ctl=$3 option=${4:-} pid
    if ! pid=$(pidfile_alive "$pidfile" "$name"); then
        log "$name not running"
        return
    fi
    log "stopping $name (pid $pid)"
    ovs-appctl --timeout=10 -t "$ctl" exit ${option:+"$option"} >/dev/null 2>&1 || true
    wait_gone "$pid" "$name" 10 || stop_pid "$pid" "$name" 10
}

ovs_db_answers() {
    ovsdb-client --timeout=2 list-dbs "unix:$OVS_DB_SOCK"
}

start_ovs() {
    local COMPONENT=ovs
    mkdir -p "$OVS_DIR" "$OVS_RUNDIR"
    if pidfile_alive "$OVS_RUNDIR/ovsdb-server.pid" ovsdb-server >/dev/null ||
        ovs_db_answers >/dev/null 2>&1; then
        log "ovsdb-server already answers on $OVS_DB_SOCK"
    else
        log "starting ovsdb-server ($OVS_DIR/conf.db on $OVS_DB_SOCK)"
        ovsdb_prepare "$OVS_DIR/conf.db" /usr/share/openvswitch/vswitch.ovsschema
        ovsdb-server "$OVS_DIR/conf.db" --detach --no-chdir -vconsole:off \
            --pidfile="$OVS_RUNDIR/ovsdb-server.pid" --log-file="$OVS_DIR/ovsdb-server.log" \
            --remote="punix:$OVS_DB_SOCK" --remote=db:Open_vSwitch,Open_vSwitch,manager_options
        record_started ovsdb-server
    fi
    ovs-vsctl --no-wait init
    if pidfile_alive "$OVS_RUNDIR/ovs-vswitchd.pid" ovs-vswitchd >/dev/null; then
        log "ovs-vswitchd already running"
    else
        log "starting ovs-vswitchd"
        ovs-vswitchd "unix:$OVS_DB_SOCK" --detach --no-chdir -vconsole:off \
            --pidfile="$OVS_RUNDIR/ovs-vswitchd.pid" --log-file="$OVS_DIR/ovs-vswitchd.log"
        record_started ovs-vswitchd
    fi
    configure_br_int
}

# No kernel datapath on this kind of machine: br-int runs in userspace (netdev).
# Tunnels start at this host's underlay address (devstack/lib/hosts.sh).
configure_br_int() {
    log "br-int (netdev) and the chassis settings for ovn-controller"
    ovs-vsctl --timeout=30 -- --may-exist add-br br-int \
        -- set Bridge br-int datapath_type=netdev fail-mode=secure \
        other_config:disable-in-band=true
    ovs-vsctl --timeout=30 set Open_vSwitch . \
        external_ids:system-id="$STRATO_HOST" external_ids:hostname="$STRATO_HOST" \
        external_ids:ovn-remote=tcp:127.0.0.1:6642 external_ids:ovn-encap-type=geneve \
        external_ids:ovn-encap-ip="$UNDERLAY_ADDRESS" external_ids:ovn-bridge=br-int \
        external_ids:ovn-bridge-datapath-type=netdev
}

stop_ovs() {
    local COMPONENT=ovs
    # --cleanup: the userspace datapath's tap devices (br-int, ovs-netdev) go too
    if was_started ovs-vswitchd; then
        stop_ovs_daemon ovs-vswitchd "$OVS_RUNDIR/ovs-vswitchd.pid" ovs-vswitchd --cleanup
    fi
    if was_started ovsdb-server; then
        stop_ovs_daemon ovsdb-server "$OVS_RUNDIR/ovsdb-server.pid" ovsdb-server
    fi
}
