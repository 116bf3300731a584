# devstack/lib/ovn.sh: OVN central (NB and SB ovsdb-servers, ovn-northd) and ovn-controller.
# shellcheck shell=bash

OVN_DIR=$STRATO_STATE_DIR/ovn
OVN_NB_PORT=6641
OVN_SB_PORT=6642
OVN_NB_DB=tcp:127.0.0.1:$OVN_NB_PORT
OVN_SB_DB=tcp:127.0.0.1:$OVN_SB_PORT

# start_ovn_db nb|sb PORT: one ovsdb-server per database, on TCP and a unix socket.
start_ovn_db() {
    local name=$1 port=$2 db=$OVN_DIR/ovn$1_db
    if pidfile_alive "$db.pid" ovsdb-server >/dev/null; then
        log "OVN ${name^^} already running"
        return
    fi
    if port_answers "$port"; then
        log "OVN ${name^^}: something already answers on 127.0.0.1:$port, using it"
        return
    fi
    log "starting OVN ${name^^} ovsdb-server on 127.0.0.1:$port"
    ovsdb_prepare "$db.db" "/usr/share/ovn/ovn-$name.ovsschema"
    ovsdb-server "$db.db" --detach --no-chdir -vconsole:off --pidfile="$db.pid" \
        --log-file="$OVN_DIR/ovsdb-server-$name.log" --unixctl="$db.ctl" \
        --remote="punix:$db.sock" --remote="ptcp:$port:127.0.0.1"
    record_started "ovn-$name"
}

start_ovn_central() {
    local COMPONENT=ovn
    mkdir -p "$OVN_DIR"
    start_ovn_db nb "$OVN_NB_PORT"
    start_ovn_db sb "$OVN_SB_PORT"
    ovn-nbctl --db="$OVN_NB_DB" --timeout=30 --no-wait init
    ovn-sbctl --db="$OVN_SB_DB" --timeout=30 init
    if pidfile_alive "$OVN_DIR/ovn-northd.pid" ovn-northd >/dev/null; then
        log "ovn-northd already running"
    else
        log "starting ovn-northd"
        ovn-northd --detach --no-chdir -vconsole:off --pidfile="$OVN_DIR/ovn-northd.pid" \
            --log-file="$OVN_DIR/ovn-northd.log" --unixctl="$OVN_DIR/ovn-northd.ctl" \
            --ovnnb-db="$OVN_NB_DB" --ovnsb-db="$OVN_SB_DB"
        record_started ovn-northd
    fi
    # northd has copied the NB into the SB once this returns
    ovn-nbctl --db="$OVN_NB_DB" --timeout=60 --wait=sb sync
    log "OVN central ready"
}

# ovn-controller has no --unixctl option: its control socket is named after its pid
# in OVN_RUNDIR. It finds br-int's OpenFlow socket in OVS_RUNDIR.
start_ovn_controller() {
    local COMPONENT=ovn
    if pidfile_alive "$OVN_DIR/ovn-controller.pid" ovn-controller >/dev/null; then
        log "ovn-controller already running"
    else
        log "starting ovn-controller (chassis $STRATO_HOST)"
        OVN_RUNDIR=$OVN_DIR ovn-controller "unix:$OVS_DB_SOCK" --detach --no-chdir \
            -vconsole:off --pidfile="$OVN_DIR/ovn-controller.pid" \
            --log-file="$OVN_DIR/ovn-controller.log"
        record_started ovn-controller
    fi
    ovn-sbctl --db="$OVN_SB_DB" --timeout=60 wait-until Chassis "$STRATO_HOST" >/dev/null
    log "chassis $STRATO_HOST registered"
}

stop_ovn_controller() {
    local COMPONENT=ovn pid
    was_started ovn-controller || return 0
    pid=$(pidfile_alive "$OVN_DIR/ovn-controller.pid" ovn-controller) || pid=none
    stop_ovs_daemon ovn-controller "$OVN_DIR/ovn-controller.pid" \
        "$OVN_DIR/ovn-controller.$pid.ctl"
}

stop_ovn_central() {
    local COMPONENT=ovn
    if was_started ovn-northd; then
        stop_ovs_daemon ovn-northd "$OVN_DIR/ovn-northd.pid" "$OVN_DIR/ovn-northd.ctl"
    fi
    local name
    for name in sb nb; do
        if was_started "ovn-$name"; then
            stop_ovs_daemon ovsdb-server "$OVN_DIR/ovn${name}_db.pid" \
                "$OVN_DIR/ovn${name}_db.ctl"
        fi
    done
}
