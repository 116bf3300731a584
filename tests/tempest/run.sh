#!/usr/bin/env bash
# tests/tempest/run.sh [REGEX]: run Tempest against a Strato cloud and print the totals.
#
# The cloud is the one devstack/stack.sh made, found through its state directory:
#   STRATO_STATE_DIR   (default /var/lib/strato): public_url from etc/strato.conf, the
#                      admin password from etc/passwords
# or given directly: STRATO_API_URL, ADMIN_PASSWORD, STRATO_REGION (default RegionOne).
#   TEMPEST            the tempest command (default: tempest on PATH, else
#                      /tmp/clients-venv/bin/tempest)
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

TEMPEST=${TEMPEST:-$(command -v tempest || echo /tmp/clients-venv/bin/tempest)}
WORK=$(mktemp -d /tmp/strato-tempest.XXXXXX)
if [[ -z ${KEEP_WORKSPACE:-} ]]; then
    trap 'rm -rf "$WORK"' EXIT
fi

HOME=$WORK "$TEMPEST" init "$WORK/ws" >/dev/null
sed -e "s|@PUBLIC_URL@|${API_URL%/}|g" -e "s|@REGION@|$REGION|g" \
    -e "s|@ADMIN_PASSWORD@|$ADMIN_PASSWORD|g" \
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
