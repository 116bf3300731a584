# devstack/lib/hosts.sh: the underlay network, and more hypervisor hosts on this machine.
# shellcheck shell=bash
#
# Every hypervisor has an address on the underlay, STRATO_UNDERLAY_PREFIX.0/24: this
# machine (host 1) .1, each added host the next free one. Geneve tunnels between OVN
# chassis and libvirt's migration traffic use it. With the userspace datapath, OVS
# sends a tunnel's packets only out of a bridge that holds the local tunnel address, so
# each host's address sits on its own OVS bridge br-underlay; host 1's br-underlay also
# switches between the hosts (a veth from each host's eth1 is one of its ports).
#
# An added host NAME (devstack/add-host.sh) is what Linux sees of another server: the
# network namespace strato-NAME (eth1 its only link), its own ovsdb-server and
# ovs-vswitchd (inside the namespace: br-int and br-underlay), its own ovn-controller
# (chassis NAME), its own virtlogd and libvirtd (inside the namespace and in a mount
# namespace of their own, where /etc/libvirt, /run/libvirt, /var/lib/libvirt,
# /var/cache/libvirt and /var/log/libvirt are its directories under
# $STRATO_STATE_DIR/hosts/NAME: another host UUID, other guests, libvirt listening on
# its underlay address for migrations), and its own strato-compute named NAME. The agent
# runs in this namespace, as the other Strato services do, and reaches its libvirtd and
# its OVS through their unix sockets, which a network namespace does not separate.
#
# The functional tests' hypervisors (tests/functional/fixtures/hypervisor.py) are made
# by these functions too, in a state dir of their own, on an underlay prefix of their
# own whose switch is a Linux bridge (STRATO_UNDERLAY_SWITCH) instead of host 1's
# br-underlay, and on a private OVN southbound (STRATO_OVN_SB_REMOTE).

STRATO_UNDERLAY_PREFIX=${STRATO_UNDERLAY_PREFIX:-192.168.250}
UNDERLAY_ADDRESS=$STRATO_UNDERLAY_PREFIX.1
UNDERLAY_BRIDGE=br-underlay
LIBVIRT_LISTEN_ADDRESS=$UNDERLAY_ADDRESS
UNDERLAY_SWITCH=${STRATO_UNDERLAY_SWITCH:-}
HOST_OVN_REMOTE=${STRATO_OVN_SB_REMOTE:-tcp:127.0.0.1:${OVN_SB_PORT:-6642}}
HOSTS_DIR=$STRATO_STATE_DIR/hosts
# The bind mounts that make an added host's libvirtd another server's: directory under
# the host's libvirt/ → the path libvirt uses.
LIBVIRT_HOST_DIRS=(etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt
    cache:/var/cache/libvirt log:/var/log/libvirt)

# configure_underlay_bridge DB ADDRESS [NETNS]: br-underlay (netdev) holding ADDRESS/24,
# in the OVS of DB whose ovs-vswitchd runs in NETNS (default: this namespace).
configure_underlay_bridge() {
    local db=$1 address=$2 netns=${3:-}
    local -a in_ns=()
    [[ -n $netns ]] && in_ns=(ip netns exec "$netns")
    ovs-vsctl --db="$db" --timeout=30 -- --may-exist add-br "$UNDERLAY_BRIDGE" \
        -- set Bridge "$UNDERLAY_BRIDGE" datapath_type=netdev
    "${in_ns[@]}" ip link set "$UNDERLAY_BRIDGE" up
    if ! "${in_ns[@]}" ip -o addr show dev "$UNDERLAY_BRIDGE" | grep -qw "$address/24"; then
        "${in_ns[@]}" ip addr add "$address/24" dev "$UNDERLAY_BRIDGE"
    fi
}

# Host 1: its tunnel endpoint and libvirt's migration address.
configure_underlay() {
    local COMPONENT=underlay
    log "$UNDERLAY_BRIDGE holds $UNDERLAY_ADDRESS/24 (tunnels and migrations)"
    configure_underlay_bridge "unix:$OVS_DB_SOCK" "$UNDERLAY_ADDRESS"
}

host_dir() {
    echo "$HOSTS_DIR/$1"
}

host_netns() {
    echo "strato-$1"
}

# host_link NAME: the outer end of the host's veth, named after its state dir (an
# interface name has at most 15 characters).
host_link() {
    echo "ul$(host_dir "$1" | md5sum | cut -c1-11)"
}

# join_underlay VETH: plug VETH into the underlay's switch.
join_underlay() {
    if [[ -n $UNDERLAY_SWITCH ]]; then
        ip link set "$1" master "$UNDERLAY_SWITCH"
    else
        ovs-vsctl --timeout=30 --may-exist add-port "$UNDERLAY_BRIDGE" "$1"
    fi
}

leave_underlay() {
    if [[ -z $UNDERLAY_SWITCH ]]; then
        ovs-vsctl --timeout=10 --if-exists del-port "$UNDERLAY_BRIDGE" "$1" || true
    fi
    ip link delete "$1" 2>/dev/null || true
}

# The names of the added hosts, one a line.
added_hosts() {
    local dir
    for dir in "$HOSTS_DIR"/*/; do
        [[ -e $dir/address ]] && basename "$dir"
    done
    return 0
}

# host_address NAME: the host's underlay address, the first free one for a new host.
host_address() {
    local file used=() n
    file=$(host_dir "$1")/address
    if [[ -r $file ]]; then
        cat "$file"
        return
    fi
    mapfile -t used < <(cat "$HOSTS_DIR"/*/address 2>/dev/null)
    for n in $(seq 2 254); do
        if [[ " ${used[*]} " != *" $STRATO_UNDERLAY_PREFIX.$n "* ]]; then
            echo "$STRATO_UNDERLAY_PREFIX.$n" >"$file"
            echo "$STRATO_UNDERLAY_PREFIX.$n"
            return
        fi
    done
    die "no free address left on $STRATO_UNDERLAY_PREFIX.0/24"
}

# The namespace and its link: eth1 inside, the other end on the underlay's switch.
add_host_link() {
    local name=$1 netns veth
    netns=$(host_netns "$name")
    veth=$(host_link "$name")
    ip netns list | grep -qw "$netns" || ip netns add "$netns"
    ip netns exec "$netns" ip link set lo up
    if ! ip link show "$veth" >/dev/null 2>&1; then
        ip link add "$veth" type veth peer name eth1 netns "$netns"
    fi
    # the userspace datapath does not fill in checksums a veth leaves to offload
    ethtool -K "$veth" tx off >/dev/null
    ip netns exec "$netns" ethtool -K eth1 tx off >/dev/null
    ip link set "$veth" up
    ip netns exec "$netns" ip link set eth1 up
    join_underlay "$veth"
}

# The host's Open vSwitch: ovsdb-server here, ovs-vswitchd in the namespace, br-int and
# br-underlay (eth1 and the host's address), the chassis settings; its ovn-controller.
start_host_ovs() {
    local name=$1 address=$2 dir netns db
    dir=$(host_dir "$name")/ovs
    netns=$(host_netns "$name")
    db=unix:$dir/db.sock
    mkdir -p "$dir"
    if ! pidfile_alive "$dir/ovsdb-server.pid" ovsdb-server >/dev/null; then
        ovsdb_prepare "$dir/conf.db" /usr/share/openvswitch/vswitch.ovsschema
        ovsdb-server "$dir/conf.db" --detach --no-chdir -vconsole:off \
            --pidfile="$dir/ovsdb-server.pid" --log-file="$dir/ovsdb-server.log" \
            --unixctl="$dir/ovsdb-server.ctl" --remote="punix:$dir/db.sock"
    fi
    ovs-vsctl --db="$db" --no-wait init
    if ! pidfile_alive "$dir/ovs-vswitchd.pid" ovs-vswitchd >/dev/null; then
        # OVS_RUNDIR: where the bridges' OpenFlow sockets go (ovn-controller's br-int.mgmt)
        ip netns exec "$netns" env OVS_RUNDIR="$dir" ovs-vswitchd "$db" --detach \
            --no-chdir -vconsole:off --pidfile="$dir/ovs-vswitchd.pid" \
            --log-file="$dir/ovs-vswitchd.log" --unixctl="$dir/ovs-vswitchd.ctl"
    fi
    ovs-vsctl --db="$db" --timeout=30 -- --may-exist add-br br-int \
        -- set Bridge br-int datapath_type=netdev fail-mode=secure \
        other_config:disable-in-band=true
    ip netns exec "$netns" ip addr flush dev eth1
    configure_underlay_bridge "$db" "$address" "$netns"
    ovs-vsctl --db="$db" --timeout=30 --may-exist add-port "$UNDERLAY_BRIDGE" eth1
    ovs-vsctl --db="$db" --timeout=30 set Open_vSwitch . \
        external_ids:system-id="$name" external_ids:hostname="$name" \
        external_ids:ovn-remote="$HOST_OVN_REMOTE" external_ids:ovn-encap-type=geneve \
        external_ids:ovn-encap-ip="$address" external_ids:ovn-bridge=br-int \
        external_ids:ovn-bridge-datapath-type=netdev
    if ! pidfile_alive "$dir/ovn-controller.pid" ovn-controller >/dev/null; then
        # OVS_RUNDIR: where it finds br-int.mgmt, this host's ovs-vswitchd's
        OVS_RUNDIR=$dir OVN_RUNDIR=$dir ovn-controller "$db" --detach --no-chdir -vconsole:off \
            --pidfile="$dir/ovn-controller.pid" --log-file="$dir/ovn-controller.log"
    fi
}

host_libvirt_socket() {
    echo "$(host_dir "$1")/libvirt/run/libvirt-sock"
}

host_libvirt_answers() {
    virsh -c "qemu:///system?socket=$(host_libvirt_socket "$1")" version
}

# The host's virtlogd and libvirtd, in its namespace, on its own libvirt directories.
start_host_libvirt() {
    local name=$1 address=$2 dir entry netns uuid_file
    dir=$(host_dir "$name")/libvirt
    netns=$(host_netns "$name")
    for entry in "${LIBVIRT_HOST_DIRS[@]}"; do
        mkdir -p "$dir/${entry%%:*}"
    done
    mkdir -p "$dir/etc/qemu"
    uuid_file=$dir/host-uuid
    [[ -s $uuid_file ]] || cat /proc/sys/kernel/random/uuid >"$uuid_file"
    libvirtd_conf "$address" "$dir/libvirtd.log" "$(cat "$uuid_file")" |
        write_file "$dir/etc/libvirtd.conf" 644
    printf '# Written by devstack/add-host.sh\nuser = "root"\ngroup = "root"\n' |
        write_file "$dir/etc/qemu.conf" 644
    if pidfile_alive "$dir/libvirtd.pid" libvirtd >/dev/null; then
        log "libvirtd of $name already running"
        return
    fi
    local mounts="mount --make-rprivate /"
    for entry in "${LIBVIRT_HOST_DIRS[@]}"; do
        mounts+=" && mount --bind $dir/${entry%%:*} ${entry#*:}"
    done
    # ip netns exec gives the command a mount namespace of its own: the binds stay there
    ip netns exec "$netns" sh -c "$mounts && virtlogd -d -p $dir/virtlogd.pid &&
        LIBVIRT_LOG_OUTPUTS=3:file:$dir/libvirtd.log exec libvirtd -d --listen \
        -p $dir/libvirtd.pid"
    wait_for 60 "libvirtd of $name" host_libvirt_answers "$name"
}

# write_host_compute_conf NAME ADDRESS: what makes a strato-compute (reading
# strato.conf first) the agent of host NAME.
write_host_compute_conf() {
    local name=$1 address=$2 dir
    dir=$(host_dir "$name")
    write_file "$dir/compute.conf" 644 <<EOF
# Written by devstack/add-host.sh: strato-compute of host $name reads strato.conf first.
[DEFAULT]
host = $name

[compute]
instances_path = $dir/instances
ovsdb_connection = unix:$dir/ovs/db.sock
integration_bridge = br-int

[libvirt]
connection_uri = qemu:///system?socket=$(host_libvirt_socket "$name")
live_migration_inbound_addr = $address
EOF
}

start_host_compute() {
    local name=$1 address=$2 dir pidfile pid
    dir=$(host_dir "$name")
    pidfile=$RUN_DIR/strato-compute-$name.pid
    write_host_compute_conf "$name" "$address"
    if pid=$(pidfile_alive "$pidfile" strato-compute); then
        log "strato-compute of $name already running (pid $pid)"
        return
    fi
    setsid "$VENV/bin/strato-compute" --config-file "$STRATO_CONF" \
        --config-file "$dir/compute.conf" </dev/null \
        >>"$LOG_DIR/strato-compute-$name.log" 2>&1 &
    echo $! >"$pidfile"
    log "started strato-compute of $name (pid $!), log $LOG_DIR/strato-compute-$name.log"
}

compute_service_up() {
    manage service list --binary strato-compute --host "$1" | grep -qw up
}

add_host() {
    local name=$1 COMPONENT=host-$1 address
    mkdir -p "$(host_dir "$name")"
    address=$(host_address "$name")
    log "host $name: namespace $(host_netns "$name"), underlay address $address"
    add_host_link "$name"
    start_host_ovs "$name" "$address"
    start_host_libvirt "$name" "$address"
    start_host_compute "$name" "$address"
    log "waiting up to ${PING_WAIT}s for strato-compute of $name to report"
    wait_for "$PING_WAIT" "strato-compute of $name" compute_service_up "$name"
    log "host $name is up: chassis $name, libvirt qemu+tcp://$address/system"
}

# remove_host NAME: the host is switched off (its guests stop, its definitions and
# disks stay for the next add-host.sh) and unplugged.
remove_host() {
    local name=$1 COMPONENT=host-$1 dir netns pid domain
    dir=$(host_dir "$name")
    netns=$(host_netns "$name")
    if pid=$(pidfile_alive "$RUN_DIR/strato-compute-$name.pid" strato-compute); then
        log "stopping strato-compute of $name (pid $pid)"
        stop_pid "$pid" "strato-compute-$name" "$STOP_TIMEOUT"
    fi
    rm -f "$RUN_DIR/strato-compute-$name.pid"
    if host_libvirt_answers "$name" >/dev/null 2>&1; then
        while read -r domain; do
            [[ -n $domain ]] || continue
            log "powering off guest $domain"
            virsh -q -c "qemu:///system?socket=$(host_libvirt_socket "$name")" \
                destroy "$domain" >/dev/null || true
        done < <(virsh -q -c "qemu:///system?socket=$(host_libvirt_socket "$name")" \
            list --name --state-running)
    fi
    for daemon in libvirtd virtlogd; do
        if pid=$(pidfile_alive "$dir/libvirt/$daemon.pid" "$daemon"); then
            log "stopping $daemon of $name (pid $pid)"
            stop_pid "$pid" "$daemon" 30
        fi
    done
    stop_ovs_daemon ovn-controller "$dir/ovs/ovn-controller.pid" \
        "$dir/ovs/ovn-controller.$(cat "$dir/ovs/ovn-controller.pid" 2>/dev/null).ctl"
    stop_ovs_daemon ovs-vswitchd "$dir/ovs/ovs-vswitchd.pid" "$dir/ovs/ovs-vswitchd.ctl" \
        --cleanup
    stop_ovs_daemon ovsdb-server "$dir/ovs/ovsdb-server.pid" "$dir/ovs/ovsdb-server.ctl"
    leave_underlay "$(host_link "$name")"
    ip netns delete "$netns" 2>/dev/null || true
    log "host $name removed (its state stays in $dir)"
}

remove_hosts() {
    local name
    for name in $(added_hosts); do
        remove_host "$name"
    done
}
