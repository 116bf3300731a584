# devstack/lib/python.sh: the Strato venv and the clients venv (openstack CLI).
# shellcheck shell=bash

CLIENT_PACKAGES=(python-openstackclient python-designateclient)

# install_strato: editable install of the repo; redone only when its packaging changed
# (new dependency or console script) or the checkout moved, so a re-run costs nothing.
install_strato() {
    local COMPONENT=python stamp=$VENV/.strato-install-stamp digest
    digest=$( (echo "$REPO_DIR"; cat "$REPO_DIR/setup.cfg" "$REPO_DIR/pyproject.toml") | sha256sum)
    [[ -x $VENV/bin/python ]] || { log "creating $VENV"; /usr/bin/python3 -m venv "$VENV"; }
    if [[ -x $VENV/bin/strato-manage && $(cat "$stamp" 2>/dev/null) == "$digest" ]]; then
        log "strato already installed in $VENV"
        return
    fi
    log "installing ${REPO_DIR}[libvirt] into $VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e "${REPO_DIR}[libvirt]"
    echo "$digest" >"$stamp"
}

install_clients() {
    local COMPONENT=python
    if [[ -x $CLIENTS_VENV/bin/openstack ]]; then
        log "openstack client already installed in $CLIENTS_VENV"
    else
        log "installing ${CLIENT_PACKAGES[*]} into $CLIENTS_VENV"
        /usr/bin/python3 -m venv "$CLIENTS_VENV"
        "$CLIENTS_VENV/bin/pip" install -q --upgrade pip
        "$CLIENTS_VENV/bin/pip" install -q "${CLIENT_PACKAGES[@]}"
    fi
    if [[ ! -e /usr/local/bin/openstack && ! -L /usr/local/bin/openstack ]]; then
        ln -s "$CLIENTS_VENV/bin/openstack" /usr/local/bin/openstack
        log "linked /usr/local/bin/openstack"
    fi
}
