# devstack/lib/network.sh: the provider network "public" (flat, physnet1 on br-ex) that
# routers' gateways and floating IPs use.
# shellcheck shell=bash

PUBLIC_BRIDGE=br-ex
PUBLIC_PHYSNET=physnet1
PUBLIC_CIDR=${STRATO_PUBLIC_CIDR:-172.24.4.0/24}
PUBLIC_GATEWAY=${STRATO_PUBLIC_GATEWAY:-172.24.4.1}

# configure_provider_bridge: br-ex (userspace datapath) mapped to physnet1 for OVN.
configure_provider_bridge() {
    local COMPONENT=network
    log "$PUBLIC_BRIDGE (netdev) mapped to $PUBLIC_PHYSNET"
    ovs-vsctl --timeout=30 -- --may-exist add-br "$PUBLIC_BRIDGE" \
        -- set Bridge "$PUBLIC_BRIDGE" datapath_type=netdev
    ovs-vsctl --timeout=30 set Open_vSwitch . \
        external_ids:ovn-bridge-mappings="$PUBLIC_PHYSNET:$PUBLIC_BRIDGE"
}

admin_openstack() {
    OS_CLOUD=strato-admin OS_CLIENT_CONFIG_FILE=$CLOUDS_YAML "$CLIENTS_VENV/bin/openstack" "$@"
}

# create_public_network: the external network and its subnet, once.
create_public_network() {
    local COMPONENT=network
    if admin_openstack network show public -f value -c id >/dev/null 2>&1; then
        log "network public exists"
        return
    fi
    log "creating external network public ($PUBLIC_CIDR on $PUBLIC_PHYSNET)"
    admin_openstack network create --external --share --provider-network-type flat \
        --provider-physical-network "$PUBLIC_PHYSNET" public >/dev/null
    admin_openstack subnet create --network public --subnet-range "$PUBLIC_CIDR" \
        --gateway "$PUBLIC_GATEWAY" --no-dhcp public-subnet >/dev/null
}
