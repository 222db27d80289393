#!/bin/sh
# Stage 1 of the boot test: the initramfs' /init, run by ibex sh as PID 1.
# Mounts the kernel filesystems, loads the NIC driver, copies the system
# into a tmpfs and switch_roots into it, where ibex init takes over.
PATH=/bin:/sbin:/usr/bin:/usr/sbin
export PATH
step() {
    name=$1
    shift
    if "$@" >/tmp/step.out 2>&1; then
        echo "IBEX-STEP $name ok"
    else
        echo "IBEX-STEP $name FAIL: $(head -c 300 /tmp/step.out)"
    fi
}
mount -t proc proc /proc
read -r up _ </proc/uptime
echo "IBEX-STAGE1 uptime=$up"
step mount-kernel-fs sh -c 'mount -t sysfs sysfs /sys && mount -t devtmpfs devtmpfs /dev && mount -t tmpfs -o mode=1777 tmpfs /tmp && grep -q "^devtmpfs /dev devtmpfs" /proc/mounts && grep -q "^sysfs /sys sysfs" /proc/mounts'
step modprobe-nic sh -c 'modprobe -a virtio_pci virtio_net && lsmod | grep -q "^virtio_net " && lsmod | grep -q "^net_failover "'
step nic-appears sh -c 'i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; [ -e /sys/class/net/eth0 ]'
step prepare-newroot sh -c 'mkdir -p /newroot && mount -t tmpfs -o mode=755 tmpfs /newroot && cp -a /bin /sbin /usr /etc /lib /root /newroot/ && mkdir -p /newroot/dev /newroot/proc /newroot/sys /newroot/tmp /newroot/run && echo stage2 >/newroot/etc/stage'
umount /tmp
echo "IBEX-STEP switch-root-exec ok"
exec switch_root /newroot /sbin/init
echo "IBEX-STEP switch-root-exec FAIL: exec returned"
