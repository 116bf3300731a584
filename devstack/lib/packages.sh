# devstack/lib/packages.sh: the Debian packages the single-node cloud needs.
# shellcheck shell=bash

SYSTEM_PACKAGES=(
    ovn-central ovn-host openvswitch-switch
    libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
    qemu-system-x86 qemu-utils busybox-static ethtool iproute2 procps
    genisoimage # config drives
    linux-image-amd64 cpio # the tiny guest: the host kernel and a busybox initramfs
    # libvirt-python builds from source against these
    libvirt-dev pkg-config gcc python3-dev python3-venv
    curl dnsutils
)

package_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) == ii* ]]
}

# install_packages: apt-get only what is missing; the broker only if none answers.
install_packages() {
    local COMPONENT=packages wanted=("${SYSTEM_PACKAGES[@]}") missing=() pkg
    port_answers "$STRATO_RABBIT_PORT" || wanted+=(rabbitmq-server)
    mapfile -t -O ${#wanted[@]} wanted < <(database_packages)
    for pkg in "${wanted[@]}"; do
        package_installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        log "all system packages present"
        return
    fi
    log "installing ${missing[*]}"
    apt-get update -q
    without_service_autostart env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Package scripts would start their daemons through init.d with the distribution's
# settings; stack.sh starts them itself, so tell invoke-rc.d not to (exit 101).
without_service_autostart() {
    local policy=/usr/sbin/policy-rc.d
    if [[ -e $policy ]]; then
        "$@"
        return
    fi
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    "$@" || { rm -f "$policy"; return 1; }
    rm -f "$policy"
}
