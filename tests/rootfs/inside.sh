#!/bin/sh
# Runs inside the ibex rootfs under `unshare --pid --mount --fork --root`,
# as the command of ibex init (PID 1). Prints one marker per check; ends
# with status 42 when the host's SIGTERM is forwarded to it.
step() {
    name=$1
    shift
    if "$@" >/tmp/step.out 2>&1; then
        echo "ROOTFS-STEP $name ok"
    else
        echo "ROOTFS-STEP $name FAIL: $(head -c 300 /tmp/step.out)"
    fi
}
mount -t proc proc /proc
step pid1-is-init sh -c "[ \"\$(cat /proc/1/comm)\" = init ] && [ $PPID = 1 ]"
step core-applets sh -c 'cd /tmp && printf "b 2\na 1\nc 3\n" >in && sort in | cut -d" " -f1 | tr -d "\n" | grep -qx abc && cp in out && [ "$(wc -l <out)" = 3 ] && ls -l out | grep -q "^-rw-" && mkdir -p d/e && mv out d/e/ && [ -f d/e/out ] && rm -r d && [ ! -e d ] && [ "$(id -u)" = 0 ] && [ "$(id -un)" = root ]'
# An orphan: its parent exits at once, the orphan is reparented to init
# and must not stay a zombie after it ends.
step zombies-reaped sh -c 'sh -c "sleep 0.2 & exit 0"; sleep 0.6; for s in /proc/[0-9]*/stat; do read -r _ c st _ <$s 2>/dev/null || continue; [ "$st" != Z ] || { echo "zombie: $c"; exit 1; }; done'
trap 'echo "ROOTFS-STEP signal-forwarded ok"; exit 42' TERM
: >/tmp/ready
sleep 30 &
wait
echo "ROOTFS-STEP signal-forwarded FAIL: no SIGTERM within 30 s"
exit 1
