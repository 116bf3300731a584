#!/usr/bin/env bash
# tests/tempest/run.sh [REGEX]: run Tempest against a Strato cloud and print the totals.
#
# The cloud is the one devstack/stack.sh made, found through its state directory:
#   STRATO_STATE_DIR   (default /var/lib/strato): public_url from etc/strato.conf, the
#                      admin password from etc/passwords
# or given directly: STRATO_API_URL, ADMIN_PASSWORD, STRATO_REGION (default RegionOne).
#   TEMPEST            the tempest command (default: the stack's clients venv, where
#                      tempest and designate-tempest-plugin are installed if missing)
#   IMAGE_REF, IMAGE_REF_ALT, FLAVOR_REF, FLAVOR_REF_ALT   the compute tests' image and
#                      flavors (default: image strato-tiny, flavors m1.nano and m1.tiny)
#   MIN_COMPUTE_NODES  the compute hosts Tempest may use (default: those up)
#   CONCURRENCY        test workers (default 2)
#   KEEP_WORKSPACE=1   keep the temp workspace (tempest.conf, tempest.log) and print it
# REGEX defaults to the identity API tests. Nothing is written outside a temp directory
# (tempest init's ~/.tempest goes to a temp HOME).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE_DIR=${STRATO_STATE_DIR:-/var/lib/strato}
REGEX=${1:-'^tempest\.api\.identity\.(v3|admin\.v3)\.'}

conf_value() {  # conf_value FILE KEY: the first "KEY = value" in FILE
    sed -n "s/^[[:space:]]*$2[[:space:]]*=[[:space:]]*//p" "$1" | head -n 1
}

API_URL=${STRATO_API_URL:-}
if [[ -z $API_URL && -r $STATE_DIR/etc/strato.conf ]]; then
    API_URL=$(conf_value "$STATE_DIR/etc/strato.conf" public_url)
fi
if [[ -z ${ADMIN_PASSWORD:-} && -r $STATE_DIR/etc/passwords ]]; then
    # shellcheck source=/dev/null
    source "$STATE_DIR/etc/passwords"
fi
: "${API_URL:?no cloud: set STRATO_STATE_DIR or STRATO_API_URL}"
: "${ADMIN_PASSWORD:?no admin password: set STRATO_STATE_DIR or ADMIN_PASSWORD}"
REGION=${STRATO_REGION:-RegionOne}

CLIENTS_VENV=$STATE_DIR/clients-venv
if [[ -z ${TEMPEST:-} ]]; then
    TEMPEST=$CLIENTS_VENV/bin/tempest
    if [[ ! -x $TEMPEST ]]; then
        [[ -x $CLIENTS_VENV/bin/pip ]] || /usr/bin/python3 -m venv "$CLIENTS_VENV"
        "$CLIENTS_VENV/bin/pip" install -q tempest designate-tempest-plugin
    fi
fi

# The external network of the network tests: PUBLIC_NETWORK_ID, else the network named
# "public", looked up with the openstack CLI beside tempest (none: those tests skip).
if [[ -z ${PUBLIC_NETWORK_ID:-} ]]; then
    PUBLIC_NETWORK_ID=$(OS_AUTH_URL=${API_URL%/}/identity/v3 OS_USERNAME=admin \
        OS_PASSWORD=$ADMIN_PASSWORD OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default \
        OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=$REGION OS_IDENTITY_API_VERSION=3 \
        "$(dirname "$TEMPEST")/openstack" network show public -f value -c id \
        2>/dev/null || true)
fi
# The image and flavors of the compute tests: IMAGE_REF (default: the image strato-tiny
# that stack.sh uploads), FLAVOR_REF and FLAVOR_REF_ALT (default: m1.nano and m1.tiny).
lookup() {  # lookup RESOURCE NAME: its id, with the openstack CLI beside tempest
    OS_AUTH_URL=${API_URL%/}/identity/v3 OS_USERNAME=admin OS_PASSWORD=$ADMIN_PASSWORD \
        OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default \
        OS_REGION_NAME=$REGION OS_IDENTITY_API_VERSION=3 \
        "$(dirname "$TEMPEST")/openstack" "$1" show "$2" -f value -c id 2>/dev/null || true
}
IMAGE_REF=${IMAGE_REF:-$(lookup image strato-tiny)}
IMAGE_REF_ALT=${IMAGE_REF_ALT:-$IMAGE_REF}
FLAVOR_REF=${FLAVOR_REF:-$(lookup flavor m1.nano)}
FLAVOR_REF_ALT=${FLAVOR_REF_ALT:-$(lookup flavor m1.tiny)}
# The compute hosts that are up (stack.sh's, and each devstack/add-host.sh one): with
# fewer than two, Tempest skips its migration tests itself.
COMPUTE_NODES=${MIN_COMPUTE_NODES:-$(OS_AUTH_URL=${API_URL%/}/identity/v3 OS_USERNAME=admin \
    OS_PASSWORD=$ADMIN_PASSWORD OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default \
    OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME=$REGION OS_IDENTITY_API_VERSION=3 \
    "$(dirname "$TEMPEST")/openstack" compute service list --service nova-compute \
    -f value -c State 2>/dev/null | grep -cx up || true)}
WORK=$(mktemp -d /tmp/strato-tempest.XXXXXX)
if [[ -z ${KEEP_WORKSPACE:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi

HOME=$WORK "$TEMPEST" init "$WORK/ws" >/dev/null
sed -e "s|@PUBLIC_URL@|${API_URL%/}|g" -e "s|@REGION@|$REGION|g" \
    -e "s|@ADMIN_PASSWORD@|$ADMIN_PASSWORD|g" \
    -e "s|@PUBLIC_NETWORK_ID@|$PUBLIC_NETWORK_ID|g" \
    -e "s|@IMAGE_REF@|$IMAGE_REF|g" -e "s|@IMAGE_REF_ALT@|$IMAGE_REF_ALT|g" \
    -e "s|@FLAVOR_REF@|$FLAVOR_REF|g" -e "s|@FLAVOR_REF_ALT@|$FLAVOR_REF_ALT|g" \
    -e "s|@MIN_COMPUTE_NODES@|${COMPUTE_NODES:-1}|g" \
    "$HERE/tempest.conf.template" > "$WORK/ws/etc/tempest.conf"
export TEMPEST_CONFIG_DIR=$WORK/ws/etc TEMPEST_CONFIG=tempest.conf

cd "$WORK/ws"
status=0
HOME=$WORK "$TEMPEST" run --regex "$REGEX" --concurrency "${CONCURRENCY:-2}" \
    > "$WORK/run.out" 2>&1 || status=$?
grep -E '^\{[0-9]+\} .*(FAILED|ERROR)' "$WORK/run.out" || true
passed=$(sed -n 's/^ - Passed: //p' "$WORK/run.out")
failed=$(sed -n 's/^ - Failed: //p' "$WORK/run.out")
skipped=$(sed -n 's/^ - Skipped: //p' "$WORK/run.out")
echo "passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}"
if [[ -z $passed ]]; then
    tail -n 40 "$WORK/run.out"
fi
if [[ -n ${KEEP_WORKSPACE:-} ]]; then
    echo "workspace: $WORK/ws (output in $WORK/run.out)"
fi
exit "$status"
