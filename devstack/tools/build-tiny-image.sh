#!/bin/bash
# Build Strato's tiny guest image: the host's kernel plus a busybox initramfs.
#
#   build-tiny-image.sh OUTPUT_DIR [KERNEL_VERSION]
#
# Writes to OUTPUT_DIR:
#   strato-tiny-vmlinuz     the kernel          (upload: disk_format aki, container aki)
#   strato-tiny-initrd.img  the initramfs       (upload: disk_format ari, container ari)
#   strato-tiny-disk.raw    a 1 MiB blank disk  (upload: disk_format ami, container ami,
#                           properties kernel_id=<aki id> ramdisk_id=<ari id>
#                           os_command_line="console=ttyS0 quiet panic=-1")
#   images.txt              those upload settings, one image per line
#
# The compute agent boots an image carrying kernel_id/ramdisk_id with a direct kernel
# boot. The guest's /init loads the virtio, button and evdev modules (in the order
# their symbols need), prints STRATO-TINY-BOOTED, starts acpid so an ACPI power-button
# press (libvirt shutdown, "server stop") powers it off, runs udhcpc on eth0 if there is
# one and prints the lease as "STRATO-TINY-LEASE ...", marks its disk vda on the first
# boot ("STRATO-TINY-DISK <uuid> written", then "... seen" on every later boot), prints
# STRATO-TINY-READY on the serial console, then idles. It needs at least 96 MB of RAM (m1.nano: 128 MB).
#
# Needs: a kernel in /boot with its modules in /lib/modules (Debian: linux-image-amd64;
# stack.sh installs it when /boot has no vmlinuz), busybox-static, cpio, gzip.
set -euo pipefail

MODULES="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
failover net_failover virtio_net virtio_blk button evdev"

die() { echo "build-tiny-image: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 OUTPUT_DIR [KERNEL_VERSION]"
OUT=$1
VERSION=${2:-}
if [ -z "$VERSION" ]; then
    KERNEL=$(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$KERNEL" ] || die "no /boot/vmlinuz-*: install linux-image-amd64 first"
    VERSION=${KERNEL#/boot/vmlinuz-}
fi
KERNEL=/boot/vmlinuz-$VERSION
MODDIR=/lib/modules/$VERSION
[ -r "$KERNEL" ] || die "cannot read $KERNEL"
[ -d "$MODDIR" ] || die "no $MODDIR: the kernel's modules are missing"
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] || die "busybox not found: install busybox-static"
file -L "$BUSYBOX" 2>/dev/null | grep -q "statically linked" \
    || ldd "$BUSYBOX" 2>&1 | grep -q "not a dynamic executable" \
    || die "$BUSYBOX is not statically linked: install busybox-static"
command -v cpio >/dev/null || die "cpio not found: install cpio"

mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT"/{bin,dev,proc,sys,tmp,etc/acpi/PWRF,lib/modules}
cp "$BUSYBOX" "$ROOT/bin/busybox"

for module in $MODULES; do
    found=$(find "$MODDIR/kernel" -name "$module.ko*" | head -n 1)
    [ -n "$found" ] || die "module $module not found under $MODDIR"
    case $found in
        *.ko) cp "$found" "$ROOT/lib/modules/$module.ko" ;;
        *.ko.xz) xz -dc "$found" > "$ROOT/lib/modules/$module.ko" ;;
        *.ko.zst) zstd -qdc "$found" > "$ROOT/lib/modules/$module.ko" ;;
        *.ko.gz) gzip -dc "$found" > "$ROOT/lib/modules/$module.ko" ;;
        *) die "cannot unpack $found" ;;
    esac
done

cat > "$ROOT/etc/acpi/PWRF/00000080" <<'EOF'
#!/bin/sh
echo "STRATO-TINY-POWEROFF"
poweroff -f
EOF

cat > "$ROOT/etc/udhcpc.script" <<'EOF'
#!/bin/sh
case "$1" in
    bound|renew)
        ip addr flush dev "$interface"
        ip addr add "$ip/$mask" dev "$interface"
        [ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
        echo "STRATO-TINY-LEASE $interface $ip/$mask router=${router:-none} dns=${dns:-none}"
        ;;
esac
EOF

cat > "$ROOT/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for module in $(echo $MODULES); do
    insmod /lib/modules/\$module.ko 2>/dev/null
done
echo "STRATO-TINY-BOOTED"
echo "kernel \$(uname -r) \$(uname -m)"
echo "memory \$(awk '/MemTotal/ {print \$2 " kB"}' /proc/meminfo)"
echo "cpus \$(grep -c ^processor /proc/cpuinfo)"
echo "disks \$(ls /sys/block | tr '\n' ' ')"
# acpid needs the power button's input device, which appears once evdev is loaded.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    ls /dev/input/event* >/dev/null 2>&1 && break
    sleep 0.2
done
acpid -c /etc/acpi -l /dev/console
ip link set lo up
if [ -e /sys/class/net/eth0 ]; then
    ip link set eth0 up
    udhcpc -B -n -q -t 5 -i eth0 -s /etc/udhcpc.script || echo "STRATO-TINY-LEASE eth0 none"
fi
# A mark of this disk's own: written on the first boot, read back on every later one,
# so a boot after a move shows the disk came along.
if [ -b /dev/vda ]; then
    mark=\$(dd if=/dev/vda bs=64 count=1 2>/dev/null | tr -d '\\000' | head -n 1)
    case "\$mark" in
        STRATO-TINY-DISK*) echo "\$mark seen" ;;
        *) mark="STRATO-TINY-DISK \$(cat /proc/sys/kernel/random/uuid)"
           echo "\$mark" | dd of=/dev/vda conv=notrunc 2>/dev/null && sync
           echo "\$mark written" ;;
    esac
fi
echo "STRATO-TINY-READY \$(uname -r)"
while true; do sleep 3600; done
EOF
chmod 0755 "$ROOT/init" "$ROOT/etc/udhcpc.script" "$ROOT/etc/acpi/PWRF/00000080"

(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/strato-tiny-initrd.img"
cp "$KERNEL" "$OUT/strato-tiny-vmlinuz"
truncate -s 1M "$OUT/strato-tiny-disk.raw"
cat > "$OUT/images.txt" <<'EOF'
strato-tiny-kernel strato-tiny-vmlinuz disk_format=aki container_format=aki
strato-tiny-ramdisk strato-tiny-initrd.img disk_format=ari container_format=ari
strato-tiny strato-tiny-disk.raw disk_format=ami container_format=ami kernel_id=<strato-tiny-kernel id> ramdisk_id=<strato-tiny-ramdisk id> os_command_line=console=ttyS0 quiet panic=-1
EOF
echo "tiny image of kernel $VERSION in $OUT"
