# devstack/lib/strato.sh: Strato's config, database, bootstrap and its six services.
# shellcheck shell=bash

# Start order: the conductor first, since agents send their heartbeats through it.
STRATO_SERVICES=(conductor scheduler api compute network dns)
PING_WAIT=${STRATO_PING_WAIT:-90}
STOP_TIMEOUT=${STRATO_STOP_TIMEOUT:-30}
PASSWORDS_FILE=$ETC_DIR/passwords
CLOUDS_YAML=/etc/openstack/clouds.yaml
API_URL=http://127.0.0.1:$STRATO_API_PORT

# Only the control services hold the database credentials; agents use the conductor.
is_control_service() {
    [[ $1 == api || $1 == scheduler || $1 == conductor ]]
}

# config_args SERVICE: the --config-file options SERVICE runs with, one per line.
config_args() {
    printf '%s\n' --config-file "$STRATO_CONF"
    if is_control_service "$1"; then
        printf '%s\n' --config-file "$STRATO_DB_CONF"
    fi
}

manage() {
    "$VENV/bin/strato-manage" --config-file "$STRATO_CONF" --config-file "$STRATO_DB_CONF" "$@"
}

write_strato_config() {
    local COMPONENT=config
    write_file "$STRATO_CONF" 644 <<EOF
# Written by devstack/stack.sh; read by all six Strato services.
[DEFAULT]
host = $STRATO_HOST
state_path = $STRATO_STATE_DIR
transport_url = rabbit://guest:guest@127.0.0.1:$STRATO_RABBIT_PORT/
report_interval = 10
service_down_time = 60
debug = false
# no log file: stack.sh sends each service's output to $LOG_DIR/strato-<service>.log
use_stderr = false

[api]
bind_host = 127.0.0.1
bind_port = $STRATO_API_PORT
public_url = $API_URL

[compute]
compute_driver = libvirt

[libvirt]
# TCG: KVM guests hang on this kind of machine
virt_type = qemu
# where other hosts' libvirtd send this host's live migrations (devstack/lib/hosts.sh)
live_migration_inbound_addr = $UNDERLAY_ADDRESS

[network]
ovn_nb_connection = $OVN_NB_DB
gateway_chassis = $STRATO_HOST

[conductor]
metrics_host = 127.0.0.1
metrics_port = $STRATO_CONDUCTOR_METRICS_PORT

[ha]
# a dead host's libvirtd, if it still answers, destroys the guests being evacuated
libvirt_fence_uri = qemu+tcp://{host_ip}/system
EOF
    write_file "$STRATO_DB_CONF" 600 <<EOF
# Written by devstack/stack.sh; read only by strato-api, -scheduler, -conductor and
# strato-manage: agents have no database credentials.
[database]
connection = $(database_url)
EOF
}

random_password() {
    /usr/bin/python3 -c 'import secrets; print(secrets.token_hex(12))'
}

# Passwords: the environment wins, then what an earlier run saved, then new random ones.
load_passwords() {
    local COMPONENT=config env_admin=${ADMIN_PASSWORD:-} env_demo=${DEMO_PASSWORD:-}
    if [[ -r $PASSWORDS_FILE ]]; then
        # shellcheck source=/dev/null
        source "$PASSWORDS_FILE"
    fi
    ADMIN_PASSWORD=${env_admin:-${ADMIN_PASSWORD:-$(random_password)}}
    DEMO_PASSWORD=${env_demo:-${DEMO_PASSWORD:-$(random_password)}}
    STRATO_DB_PASSWORD=${STRATO_DB_PASSWORD:-$(random_password)}
    printf 'ADMIN_PASSWORD=%q\nDEMO_PASSWORD=%q\nSTRATO_DB_PASSWORD=%q\n' \
        "$ADMIN_PASSWORD" "$DEMO_PASSWORD" "$STRATO_DB_PASSWORD" |
        write_file "$PASSWORDS_FILE" 600
}

sync_database() {
    local COMPONENT=db
    log "strato-manage db sync"
    manage db sync
}

bootstrap_identity() {
    local COMPONENT=bootstrap
    log "strato-manage bootstrap (users admin and demo)"
    manage bootstrap --admin-password "$ADMIN_PASSWORD" --demo-password "$DEMO_PASSWORD"
    write_clouds_yaml
}

yaml_quote() {
    local squote="'"
    printf "'%s'" "${1//$squote/$squote$squote}"
}

write_clouds_yaml() {
    local COMPONENT=bootstrap
    mkdir -p "$(dirname "$CLOUDS_YAML")"
    {
        echo "# Written by Strato devstack/stack.sh"
        echo "clouds:"
        clouds_yaml_entry strato-admin admin "$ADMIN_PASSWORD"
        clouds_yaml_entry strato demo "$DEMO_PASSWORD"
    } | write_file "$CLOUDS_YAML" 600
}

# clouds_yaml_entry CLOUD USER PASSWORD: the user's project has the user's name.
clouds_yaml_entry() {
    cat <<EOF
  $1:
    auth:
      auth_url: $API_URL/identity/v3
      username: $2
      password: $(yaml_quote "$3")
      project_name: $2
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: public
    identity_api_version: 3
EOF
}

start_strato_service() {
    local name=strato-$1 pidfile=$RUN_DIR/strato-$1.pid log_file=$LOG_DIR/strato-$1.log pid
    local args conf
    mapfile -t args < <(config_args "$1")
    if pid=$(pidfile_alive "$pidfile" "$name"); then
        log "$name already running (pid $pid)"
        for conf in "${args[@]}"; do
            if [[ $conf != --* && $conf -nt $pidfile ]]; then
                log "$name runs with an older $conf: unstack.sh and stack.sh restart it"
            fi
        done
        return 0
    fi
    # setsid: its own session and process group, so it outlives this shell and
    # unstack.sh can stop it (and its gunicorn workers) as one group.
    setsid "$VENV/bin/$name" "${args[@]}" </dev/null >>"$log_file" 2>&1 &
    echo $! >"$pidfile"
    log "started $name (pid $!), log $log_file"
}

start_strato_services() {
    local COMPONENT=strato service
    for service in "${STRATO_SERVICES[@]}"; do
        start_strato_service "$service"
    done
    log "waiting up to ${PING_WAIT}s for the six services to answer RPC ping"
    if ! "$VENV/bin/strato-manage" --config-file "$STRATO_CONF" service ping \
        --wait "$PING_WAIT"; then
        report_dead_services
        die "not every service answered; see the logs in $LOG_DIR"
    fi
}

report_dead_services() {
    local service
    for service in "${STRATO_SERVICES[@]}"; do
        pidfile_alive "$RUN_DIR/strato-$service.pid" "strato-$service" >/dev/null && continue
        log "strato-$service is not running; last lines of its log:"
        tail -n 20 "$LOG_DIR/strato-$service.log" >&2 || true
    done
}

# All at once: each takes a few seconds to finish its in-flight RPCs.
stop_strato_services() {
    local COMPONENT=strato service pid stopping=()
    for service in "${STRATO_SERVICES[@]}"; do
        if pid=$(pidfile_alive "$RUN_DIR/strato-$service.pid" "strato-$service"); then
            log "stopping strato-$service (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            stopping+=("$pid:strato-$service")
        else
            log "strato-$service not running"
        fi
        rm -f "$RUN_DIR/strato-$service.pid"
    done
    for service in "${stopping[@]}"; do
        await_exit "${service%%:*}" "${service#*:}" "$STOP_TIMEOUT"
    done
}

# Something to boot: flavors m1.nano/m1.tiny/m1.small and the tiny image (the host's
# kernel, a busybox initramfs, a blank disk: devstack/tools/build-tiny-image.sh) as
# strato-tiny, each made through the APIs with the stock CLI, once.
FLAVORS=("1 m1.nano 128 1 1" "2 m1.tiny 512 1 1" "3 m1.small 2048 1 20")
TINY_IMAGE_DIR=$STRATO_STATE_DIR/tiny-image
TINY_COMMAND_LINE="console=ttyS0 quiet panic=-1"

create_flavors() {
    local COMPONENT=compute flavor id name ram vcpus disk
    for flavor in "${FLAVORS[@]}"; do
        read -r id name ram vcpus disk <<<"$flavor"
        if admin_openstack flavor show "$name" -f value -c id >/dev/null 2>&1; then
            log "flavor $name exists"
            continue
        fi
        log "creating flavor $name ($ram MB, $vcpus vCPU, $disk GB)"
        admin_openstack flavor create --id "$id" --ram "$ram" --vcpus "$vcpus" \
            --disk "$disk" --public "$name" >/dev/null
    done
}

# public_image NAME FILE FORMAT [--property k=v ...]: the id of public image NAME,
# uploaded from FILE unless it exists.
public_image() {
    local name=$1 file=$2 format=$3 id
    shift 3
    if id=$(admin_openstack image show "$name" -f value -c id 2>/dev/null); then
        echo "$id"
        return
    fi
    admin_openstack image create --public --disk-format "$format" \
        --container-format "$format" --file "$file" "$@" "$name" -f value -c id
}

upload_tiny_image() {
    local COMPONENT=compute kernel ramdisk
    if admin_openstack image show strato-tiny -f value -c id >/dev/null 2>&1; then
        log "image strato-tiny exists"
        return
    fi
    log "building the tiny image in $TINY_IMAGE_DIR"
    "$REPO_DIR/devstack/tools/build-tiny-image.sh" "$TINY_IMAGE_DIR" >/dev/null
    kernel=$(public_image strato-tiny-kernel "$TINY_IMAGE_DIR/strato-tiny-vmlinuz" aki)
    ramdisk=$(public_image strato-tiny-ramdisk "$TINY_IMAGE_DIR/strato-tiny-initrd.img" ari)
    log "uploading strato-tiny (kernel $kernel, ramdisk $ramdisk)"
    public_image strato-tiny "$TINY_IMAGE_DIR/strato-tiny-disk.raw" ami \
        --property kernel_id="$kernel" --property ramdisk_id="$ramdisk" \
        --property os_command_line="$TINY_COMMAND_LINE" >/dev/null
}
