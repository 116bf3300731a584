#!/usr/bin/env bash
# devstack/stack.sh: a single-node Strato cloud in one command (Debian 12, as root, no systemd).
#
# Installs the missing system packages, a venv with Strato (this checkout, editable) and one
# with the openstack CLI, starts what is not already running (RabbitMQ if no broker answers
# on 127.0.0.1:5672, OVN central, Open vSwitch with br-int, ovn-controller, libvirtd), writes
# the config, syncs the database, bootstraps the users and starts the six Strato services,
# then makes the public network, flavors m1.nano/m1.tiny/m1.small and the image strato-tiny.
# Running it again is harmless: whatever runs is left alone. devstack/unstack.sh stops what
# this script started, and nothing else.
#
# Settings (environment):
#   STRATO_STATE_DIR  everything Strato keeps: venvs, etc/, run/, log/, the SQLite database,
#                     OVS/OVN databases (default /var/lib/strato)
#   STRATO_DATABASE   postgresql (default), mysql (MariaDB) or sqlite (a laptop demo): the
#                     server answering on 127.0.0.1 is used, else it is installed and started
#   STRATO_API_PORT   port of the API on 127.0.0.1 (default 8774)
#   STRATO_HOST       host name of this node for RPC and OVN (default: hostname)
#   ADMIN_PASSWORD, DEMO_PASSWORD  passwords of users admin and demo (default: random,
#                     saved in $STRATO_STATE_DIR/etc/passwords and reused on re-runs)
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB_DIR=$REPO_DIR/devstack/lib
for lib in common database packages python rabbitmq ovs ovn libvirt strato network hosts; do
    # shellcheck source=/dev/null
    source "$LIB_DIR/$lib.sh"
done

print_summary() {
    cat <<EOF

Strato is running on $STRATO_HOST.
  API             $API_URL
  config          $STRATO_CONF (+ $STRATO_DB_CONF for api, scheduler, conductor)
  database        $STRATO_DATABASE
  logs            $LOG_DIR/strato-*.log, OVN in $OVN_DIR, OVS in $OVS_DIR
  pid files       $RUN_DIR
  passwords       $PASSWORDS_FILE
EOF
    if [[ -e $CLOUDS_YAML ]]; then
        cat <<EOF
  clouds          $CLOUDS_YAML: strato-admin (admin), strato (demo)
                  openstack --os-cloud strato-admin token issue
                  openstack --os-cloud strato server create --image strato-tiny \\
                      --flavor m1.nano --nic none --wait vm1
EOF
    fi
    cat <<EOF
  services        $VENV/bin/strato-manage --config-file $STRATO_CONF \\
                      --config-file $STRATO_DB_CONF service list
  stop            $REPO_DIR/devstack/unstack.sh
EOF
}

main() {
    [[ $EUID -eq 0 ]] || die "run stack.sh as root"
    [[ $STRATO_STATE_DIR == /* ]] || die "STRATO_STATE_DIR must be an absolute path"
    check_database_choice
    log "state directory $STRATO_STATE_DIR, repo $REPO_DIR, database $STRATO_DATABASE"
    ensure_dirs
    install_packages
    install_strato
    install_clients
    start_rabbitmq
    start_ovn_central
    start_ovs
    configure_underlay
    configure_provider_bridge
    start_ovn_controller
    start_libvirt
    load_passwords
    start_database
    write_strato_config
    sync_database
    bootstrap_identity
    start_strato_services
    create_public_network
    create_flavors
    upload_tiny_image
    print_summary
}

main "$@"
