# devstack/lib/libvirt.sh: virtlogd and libvirtd without systemd, qemu running as root.
# shellcheck shell=bash

LIBVIRT_URI=qemu:///system
VIRTLOGD_PIDFILE=/run/virtlogd.pid
LIBVIRTD_PIDFILE=/run/libvirtd.pid
# When set (stack.sh sets the underlay address), libvirtd also listens there on TCP for
# migrations from the other hypervisors.
LIBVIRT_LISTEN_ADDRESS=${LIBVIRT_LISTEN_ADDRESS:-}

# libvirtd resolves its compiled-in qemu user before it reads qemu.conf, so the user
# must exist even though qemu.conf makes qemu run as root.
ensure_libvirt_accounts() {
    local groups=()
    getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
    if ! getent passwd libvirt-qemu >/dev/null; then
        getent group kvm >/dev/null && groups=(-G kvm)
        useradd -r -g libvirt-qemu "${groups[@]}" -d /var/lib/libvirt \
            -s /usr/sbin/nologin libvirt-qemu
        log "created user libvirt-qemu"
    fi
    getent group libvirt >/dev/null || groupadd -r libvirt
}

# Debian's libvirt-daemon ships no qemu.conf (libvirt-daemon-system would); an
# operator's own file is left as it is.
ensure_qemu_conf() {
    [[ -e /etc/libvirt/qemu.conf ]] && return
    mkdir -p /etc/libvirt
    printf '# Written by Strato devstack/stack.sh\nuser = "root"\ngroup = "root"\n' \
        >/etc/libvirt/qemu.conf
    log "wrote /etc/libvirt/qemu.conf"
}

# libvirtd.conf of a libvirtd that listens for migrations on ADDRESS, unauthenticated:
# the underlay is a private link between the hypervisors.
libvirtd_conf() {
    local address=$1 log_file=$2 host_uuid=${3:-}
    [[ -n $host_uuid ]] && echo "host_uuid = \"$host_uuid\""
    cat <<EOF
listen_tls = 0
listen_tcp = 1
listen_addr = "$address"
auth_tcp = "none"
log_outputs = "3:file:$log_file"
EOF
}

libvirt_listens() {
    virsh -c "qemu+tcp://$LIBVIRT_LISTEN_ADDRESS/system" version
}

libvirt_answers() {
    virsh -c "$LIBVIRT_URI" version
}

start_libvirt() {
    local COMPONENT=libvirt
    ensure_libvirt_accounts
    ensure_qemu_conf
    # as root virtlogd is not spawned on demand: it must run before libvirtd
    if pidfile_alive "$VIRTLOGD_PIDFILE" virtlogd >/dev/null; then
        log "virtlogd already running"
    else
        log "starting virtlogd"
        LIBVIRT_LOG_OUTPUTS="3:file:$LOG_DIR/virtlogd.log" virtlogd -d
        record_started virtlogd
    fi
    local -a listen=()
    if [[ -n $LIBVIRT_LISTEN_ADDRESS ]]; then
        libvirtd_conf "$LIBVIRT_LISTEN_ADDRESS" "$LOG_DIR/libvirtd.log" |
            write_file "$ETC_DIR/libvirtd.conf" 644
        listen=(--listen --config "$ETC_DIR/libvirtd.conf")
    fi
    if pidfile_alive "$LIBVIRTD_PIDFILE" libvirtd >/dev/null; then
        log "libvirtd already running"
        if [[ -n $LIBVIRT_LISTEN_ADDRESS ]] && ! libvirt_listens; then
            log "WARNING: libvirtd does not listen on $LIBVIRT_LISTEN_ADDRESS:16509:" \
                "no migrations into this host until it is restarted by stack.sh"
        fi
    else
        log "starting libvirtd${listen:+ (migrations on $LIBVIRT_LISTEN_ADDRESS:16509)}"
        LIBVIRT_LOG_OUTPUTS="3:file:$LOG_DIR/libvirtd.log" libvirtd -d "${listen[@]}"
        record_started libvirtd
    fi
    wait_for 60 libvirtd libvirt_answers
    log "libvirtd answers on $LIBVIRT_URI"
}

stop_libvirt() {
    local COMPONENT=libvirt name pidfile pid
    for name in libvirtd virtlogd; do
        was_started "$name" || continue
        pidfile=/run/$name.pid
        if pid=$(pidfile_alive "$pidfile" "$name"); then
            log "stopping $name (pid $pid)"
            stop_pid "$pid" "$name" 30
        else
            log "$name not running"
        fi
    done
}
