//! mount, umount, mountpoint, switch_root, pivot_root, chroot, losetup,
//! mdev, dmesg, sysctl, hostname. Everything that changes mounts, host
//! names or sysctls runs as root inside fresh namespaces made with
//! unshare(1), never against the host; without root or unshare the tests
//! say why they are skipped.

use crate::harness::*;
use std::sync::OnceLock;

/// Whether namespaced tests can run here (root, and unshare works).
fn can_ns(what: &str) -> bool {
    if skip_unless_root(what) {
        return false;
    }
    static OK: OnceLock<bool> = OnceLock::new();
    let ok = *OK.get_or_init(|| {
        std::process::Command::new("unshare")
            .args([
                "--mount", "--uts", "--ipc", "--net", "--pid", "--fork", "true",
            ])
            .status()
            .is_ok_and(|s| s.success())
    });
    if !ok {
        eprintln!("SKIPPED {what}: unshare --mount --pid --net --uts cannot run here");
    }
    ok
}

/// Run `script` with /bin/sh as PID 1 of fresh mount, UTS, IPC, net and
/// PID namespaces, in `d`, with every mount private. `$D` is the scratch
/// directory; the applets come first in PATH. stderr is merged into stdout.
fn ns(d: &Dir, script: &str) -> Out {
    let full = format!("mount --make-rprivate / || exit 99\nD=$PWD\nexec 2>&1\n{script}\n");
    d.write("t.sh", full);
    d.sh("exec unshare --mount --uts --ipc --net --pid --fork --mount-proc /bin/sh ./t.sh")
        .go()
}

/// Expect this exact output (with `$D` shown as `D`) and status 0.
fn expect(o: Out, d: &Dir, want: &str) {
    let dir = d.path.to_str().unwrap();
    let got = o.out().replace(dir, "D");
    assert_eq!(got, want, "status {}", o.code);
    assert_eq!(o.code, 0, "output:\n{got}");
}

/// Loop devices and mkfs.ext4 for the image tests.
fn can_loop(what: &str) -> bool {
    if !can_ns(what) {
        return false;
    }
    if !std::path::Path::new("/dev/loop-control").exists() {
        let _ = std::process::Command::new("modprobe").arg("loop").status();
    }
    if !std::path::Path::new("/dev/loop-control").exists() {
        eprintln!("SKIPPED {what}: no /dev/loop-control (loop module unavailable)");
        return false;
    }
    let mkfs = std::process::Command::new("mkfs.ext4").arg("-V").output();
    if !mkfs.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED {what}: mkfs.ext4 missing (apt-get install e2fsprogs)");
        return false;
    }
    true
}

// ---------------------------------------------------------------- mount

#[test]
fn tmpfs_mount_listing_and_umount() {
    if !can_ns("tmpfs_mount_listing_and_umount") {
        return;
    }
    let d = Dir::new();
    d.mkdir("m");
    d.write("file", "");
    let o = ns(
        &d,
        r#"
mount -t tmpfs -o size=1m,mode=700,nosuid 'my src' m; echo "mount $?"
mount | grep "$D"
mount -t tmpfs | grep -c "$D"
mount -t ext4,proc | grep -c "$D"
mount -t noext4 | grep -c "$D"
stat -c %a m
grep "$D/m" /proc/self/mountinfo | cut -d' ' -f5,6,8-
umount m; echo "umount $?"
umount m; echo "umount again $?"
umount file; echo "file $?"
umount nowhere; echo "nowhere $?"
"#,
    );
    expect(
        o,
        &d,
        "mount 0
my src on D/m type tmpfs (rw,nosuid,relatime,size=1024k,mode=700)
1
0
1
700
D/m rw,nosuid,relatime tmpfs my\\040src rw,size=1024k,mode=700
umount 0
umount: m: not mounted.
umount again 32
umount: file: not mounted.
file 32
umount: nowhere: no mount point specified.
nowhere 32
",
    );
}

#[test]
fn mount_errors_use_util_linux_wording() {
    if !can_ns("mount_errors_use_util_linux_wording") {
        return;
    }
    let d = Dir::new();
    d.mkdir("m");
    d.mkdir("dir");
    d.write("file", "");
    let o = ns(
        &d,
        r#"
mount -t tmpfs x nowhere; echo $?
mount -t bogusfs x m; echo $?
mount -t tmpfs -o size=zz x m; echo $?
mount /dev/nonexistent m; echo $?
mount --bind /nonexistent m; echo $?
mount dir m; echo $?
mount -t tmpfs x file; echo $?
mount -o remount,ro m; echo $?
mount --make-shared m; echo $?
mount -o offset=zz,loop file m; echo $?
mount a b c; echo $?
mount -T "$D/fstab" m; echo $?
echo > fstab; mount -T "$D/fstab" m; echo $?
mount -f -t tmpfs x m; echo "fake $?"; mount | grep -c "$D"
mount -v -t tmpfs x m; echo $?
"#,
    );
    expect(
        o,
        &d,
        "mount: nowhere: mount point does not exist.
32
mount: D/m: unknown filesystem type 'bogusfs'.
32
mount: D/m: wrong fs type, bad option, bad superblock on x, missing codepage or helper program, or other error.
32
mount: D/m: special device /dev/nonexistent does not exist.
32
mount: D/m: special device /nonexistent does not exist.
32
mount: D/m: D/dir is not a block device.
32
mount: D/file: mount point is not a directory.
32
mount: D/m: mount point not mounted or bad option.
32
mount: D/m: not mount point or bad option.
32
mount: invalid option value: offset=zz
1
mount: bad usage
Usage: mount [-afFilnrsvw] [-t TYPE] [-o OPT] [-O OPT] [-T FSTAB] [DEVICE] [DIR]
1
mount: D/fstab: No such file or directory
1
mount: m: can't find in D/fstab.
1
fake 0
0
mount: x mounted on D/m.
0
",
    );
}

#[test]
fn bind_rbind_and_read_only_remounts() {
    if !can_ns("bind_rbind_and_read_only_remounts") {
        return;
    }
    let d = Dir::new();
    for m in ["a", "b", "c", "t"] {
        d.mkdir(m);
    }
    let o = ns(
        &d,
        r#"
mount -t tmpfs -o size=2m top a
mkdir a/sub; mount -t tmpfs inner a/sub
echo hi > a/sub/f
mount --rbind a b; cat b/sub/f
mount -B -o ro,nodev a c; echo "bind $?"
ls c
{ echo x > c/new; } 2>/dev/null || echo "EROFS in c"
grep " $D/c " /proc/self/mountinfo | cut -d' ' -f5,6
mount -o remount,rw,bind c; echo "rw $?"
echo x > c/new && echo "written"
grep " $D/c " /proc/self/mountinfo | cut -d' ' -f5,6
mount -o remount,ro a; echo "ro $?"
{ echo y > a/other; } 2>/dev/null || echo "EROFS in a"
grep " $D/a " /proc/self/mountinfo | cut -d' ' -f6,9-
mount -o remount,rw a; echo "rw $?"
grep " $D/a " /proc/self/mountinfo | cut -d' ' -f6,9-
mount -r -t tmpfs ro t; grep " $D/t " /proc/self/mountinfo | cut -d' ' -f6
mount -w -o remount t; grep " $D/t " /proc/self/mountinfo | cut -d' ' -f6
umount -R b; echo "recursive $?"; grep -c " $D/b" /proc/self/mountinfo || true
"#,
    );
    expect(
        o,
        &d,
        "hi
bind 0
sub
EROFS in c
D/c ro,nodev,relatime
rw 0
written
D/c rw,nodev,relatime
ro 0
EROFS in a
ro,relatime top ro,size=2048k
rw 0
rw,relatime top rw,size=2048k
ro,relatime
rw,relatime
recursive 0
0
",
    );
}

#[test]
fn move_and_propagation() {
    if !can_ns("move_and_propagation") {
        return;
    }
    let d = Dir::new();
    for m in ["a", "b", "c"] {
        d.mkdir(m);
    }
    let o = ns(
        &d,
        r#"
info() { grep " $D/$1 " /proc/self/mountinfo | cut -d' ' -f5,7 | sed 's/:[0-9]*//'; }
mount -t tmpfs t a; touch a/f
mount --make-shared a; info a
mount -o private a; info a
mount --make-unbindable a; info a
mount --make-private a; info a
mount -t tmpfs -o shared t2 b; info b
mount --bind b c; mount --make-slave c; info c
mount -M a c/; echo "move $?"; ls c
grep -c " $D/a " /proc/self/mountinfo
mount --move a b; echo $?
"#,
    );
    expect(
        o,
        &d,
        "D/a shared
D/a -
D/a unbindable
D/a -
D/b shared
D/c master
move 0
f
0
mount: D/b: wrong fs type, bad option, bad superblock on D/a, missing codepage or helper program, or other error.
32
",
    );
}

#[test]
fn mount_all_and_one_operand_from_fstab() {
    if !can_ns("mount_all_and_one_operand_from_fstab") {
        return;
    }
    let d = Dir::new();
    for m in ["a", "b", "c", "src", "e"] {
        d.mkdir(m);
    }
    let dir = d.path.to_str().unwrap();
    d.write(
        "fstab",
        format!(
            "# test table\n\
             ta {dir}/a tmpfs size=1m,mode=711 0 0\n\
             \n\
             tb {dir}/b tmpfs noauto,nosuid 0 0\n\
             {dir}/src {dir}/c none bind,ro 0 0\n\
             te {dir}/e ramfs _netdev 0 0\n\
             tx {dir}/missing tmpfs defaults 0 0\n\
             /dev/sdz9 none swap sw 0 0\n"
        ),
    );
    let o = ns(
        &d,
        r#"
mnt() { mount | grep "$D" | sed 's/ (.*//'; }
mount -t tmpfs srcfs src
{ mount -a -T fstab -v 2>&1; echo "all $?"; } | sed 's/  *:/ :/'
mnt
stat -c %a a
{ mount -a -T fstab -v 2>&1; echo "again $?"; } | sed 's/  *:/ :/'
umount a c e
mount -a -T fstab -t tmpfs; echo "tmpfs only $?"; mnt
umount a
IBEX_FSTAB=fstab mount -a -O no_netdev,nonosuid; echo "-O $?"; mnt
umount a c
IBEX_FSTAB=fstab mount -a -t nonone,tmpfs; echo "-t no $?"; mnt
umount e
IBEX_FSTAB=fstab mount "$D/b"; echo "by dir $?"
IBEX_FSTAB=fstab mount ta; echo "by source $?"
mnt; grep " $D/b " /proc/self/mountinfo | cut -d' ' -f6
"#,
    );
    expect(
        o,
        &d,
        "D/a : successfully mounted
D/c : successfully mounted
D/e : successfully mounted
mount: D/missing: mount point does not exist.
all 64
srcfs on D/src type tmpfs
ta on D/a type tmpfs
srcfs on D/c type tmpfs
te on D/e type ramfs
711
D/a : already mounted
D/c : already mounted
D/e : already mounted
mount: D/missing: mount point does not exist.
again 32
mount: D/missing: mount point does not exist.
tmpfs only 64
srcfs on D/src type tmpfs
ta on D/a type tmpfs
mount: D/missing: mount point does not exist.
-O 64
srcfs on D/src type tmpfs
ta on D/a type tmpfs
srcfs on D/c type tmpfs
-t no 0
srcfs on D/src type tmpfs
te on D/e type ramfs
by dir 0
by source 0
srcfs on D/src type tmpfs
tb on D/b type tmpfs
ta on D/a type tmpfs
rw,nosuid,relatime
",
    );
}

// ---------------------------------------------------------------- umount, mountpoint

#[test]
fn umount_options() {
    if !can_ns("umount_options") {
        return;
    }
    let d = Dir::new();
    for m in ["a", "b", "c"] {
        d.mkdir(m);
    }
    let o = ns(
        &d,
        r#"
mount -t tmpfs ta a; mount -t tmpfs tb b; mount -t ramfs tc c
cd a; umount "$D/a"; echo "busy $?"
umount -r "$D/a"; echo "remount-ro $?"
grep " $D/a " /proc/self/mountinfo | cut -d' ' -f6
umount -l "$D/a"; echo "lazy $?"; cd "$D"
grep -c " $D/a " /proc/self/mountinfo
umount -t ramfs b; echo "type $?"
umount -v tb; echo "by source $?"
umount -f c; echo "force $?"
mount -t ramfs x a; mount -t ramfs y a; mount -t ramfs z b
umount -a -t ramfs; echo "all $?"
grep -c "$D" /proc/self/mountinfo
umount; echo $?
"#,
    );
    expect(
        o,
        &d,
        "umount: D/a: target is busy.
busy 32
umount: D/a: target is busy, remounted read-only.
remount-ro 0
ro,relatime
lazy 0
0
umount: b: not mounted.
type 32
umount: D/b unmounted
by source 0
force 0
all 0
0
umount: bad usage
Usage: umount [-aAdflnrRqv] [-t TYPE] [-O OPT] DIR|DEVICE...
1
",
    );
}

#[test]
fn mountpoint_answers() {
    if !can_ns("mountpoint_answers") {
        return;
    }
    let d = Dir::new();
    d.mkdir("m");
    d.mkdir("plain");
    let o = ns(
        &d,
        r#"
mount -t tmpfs t m
mountpoint m; echo $?
mountpoint plain; echo $?
mountpoint -q m; echo $?
mountpoint -q plain; echo $?
[ "$(mountpoint -d m)" = "$(grep " $D/m " /proc/self/mountinfo | cut -d' ' -f3)" ] && echo "-d ok"
mountpoint -d plain; echo $?
mountpoint /; echo $?
mountpoint nothing; echo $?
mountpoint -q nothing; echo $?
mountpoint -x /dev/null; echo $?
mountpoint; echo $?
"#,
    );
    expect(
        o,
        &d,
        "m is a mountpoint
0
plain is not a mountpoint
32
0
32
-d ok
plain is not a mountpoint
32
/ is a mountpoint
0
mountpoint: nothing: No such file or directory
1
1
mountpoint: /dev/null: not a block device
32
mountpoint: bad usage
Usage: mountpoint [-qd] [--nofollow] DIR
1
",
    );
}

// ---------------------------------------------------------------- loop devices

#[test]
fn loop_mounts_labels_and_losetup() {
    if !can_loop("loop_mounts_labels_and_losetup") {
        return;
    }
    let d = Dir::new();
    d.mkdir("m");
    let st = d.sh("truncate -s 8M img && mkfs.ext4 -q -F -L ibexlbl -U 0b5e7ab1-1234-4cde-8f00-112233445566 img && stat -c '%d %i' img").go();
    assert_eq!(st.code, 0, "{}", st.err());
    let out = st.out();
    let mut f = out.split_whitespace();
    let dev: u64 = f.next().unwrap().parse().unwrap();
    let ino = f.next().unwrap();
    let (ma, mi) = (dev >> 8 & 0xfff, (dev & 0xff) | (dev >> 12 & !0xff));
    let enc = (mi & 0xff) | (ma << 8) | ((mi & !0xff) << 12);
    let o = ns(
        &d,
        r#"
mount img m; echo "auto loop $?"
L=$(mount | grep " on $D/m " | cut -d' ' -f1)
case $L in /dev/loop*) echo "is loop";; esac
mount | grep " on $D/m " | sed "s#$L#LOOP#"
mount -l -t ext4 | grep " on $D/m " | sed "s#$L#LOOP#"
echo data > m/f
umount m; echo "umount $?"
losetup -j img | grep -c .
mount -o loop,ro img m; echo "ro $?"
cat m/f; { echo x > m/g; } 2>/dev/null || echo "read-only"
umount "$D/img"; echo "by file $?"
L=$(losetup -f --show img); echo "show $?"
losetup "$L" | sed "s#$L#LOOP#"
losetup -a | grep -c "($D/img)"
losetup -j img | sed "s#$L#LOOP#"
mount LABEL=ibexlbl m; echo "label $?"; umount m
mount UUID=0B5E7AB1-1234-4CDE-8F00-112233445566 m; echo "uuid $?"
umount -d m; echo "umount -d $?"
losetup "$L" 2>&1 | sed "s#$L#LOOP#"
L=$(losetup -f --show -o 1024 --sizelimit 4096 img)
losetup "$L" | sed "s#$L#LOOP#"
losetup -d "$L"; echo "detach $?"
losetup -d "$L" 2>&1 | sed "s#$L#LOOP#"
mount LABEL=nosuchlabel m; echo $?
mount -o loop=/dev/null img m; echo $?
losetup -f -r; echo $?
"#,
    );
    let want = format!(
        "auto loop 0
is loop
LOOP on D/m type ext4 (rw,relatime)
LOOP on D/m type ext4 (rw,relatime) [ibexlbl]
umount 0
0
ro 0
data
read-only
by file 0
show 0
LOOP: [{enc:04}]:{ino} (D/img)
1
LOOP: [{enc:04}]:{ino} (D/img)
label 0
uuid 0
umount -d 0
losetup: LOOP: No such device or address
LOOP: [{enc:04}]:{ino} (D/img), offset 1024, sizelimit 4096
detach 0
losetup: LOOP: detach failed: No such device or address
mount: D/m: can't find LABEL=nosuchlabel.
1
mount: D/m: failed to setup loop device for D/img: Inappropriate ioctl for device.
32
losetup: the options --{{sizelimit,partscan,read-only,show}} are allowed during loop device setup only
1
"
    );
    expect(o, &d, &want);
}

// ---------------------------------------------------------------- switch_root, pivot_root, chroot

/// Build an initramfs on a tmpfs at $I; then, in nested PID and mount
/// namespaces, pivot into it with ibex's pivot_root and run `switch` as
/// PID 1. The outer script then shows what is left of the initramfs (the
/// same tmpfs). The new root gets the host's /usr read-only for its
/// /bin/sh, and $D/devdir as its /dev.
fn switch_root_script(switch: &str) -> String {
    format!(
        r#"
set -e
I=$D/initrd
mkdir -p $I $D/devdir; mount -t tmpfs initrd $I
mkdir -p $I/bin $I/new $I/old $I/dir/sub/deeper $I/keep
cp "$B/mount" $I/bin/ibex
for a in switch_root pivot_root umount mount; do ln -s ibex $I/bin/$a; done
echo data > $I/dir/sub/deeper/file
ln -s /nonexistent $I/dangling; ln -s /old $I/oldlink; touch $I/init
mount -t tmpfs keep $I/keep; echo kept > $I/keep/canary
mount -t tmpfs newroot $I/new
mkdir -p $I/new/usr $I/new/sbin $I/new/proc $I/new/dev
mount --bind -o ro /usr $I/new/usr
mount --bind $D/devdir $I/new/dev
ln -s usr/bin $I/new/bin; ln -s usr/lib $I/new/lib; ln -s usr/lib64 $I/new/lib64
echo newroot > $I/new/marker
cat > $I/new/sbin/init <<'EOS'
#!/bin/sh
echo "MARKER pid=$$ marker=$(cat /marker) args=$*"
echo "root:" $(ls /)
mount -t proc proc /proc
echo "initramfs left:" $(ls -A /proc/self/fd/9/) "canary: $(cat /proc/self/fd/9/keep/canary)"
EOS
chmod +x $I/new/sbin/init
export I
set +e
unshare --pid --fork --mount /bin/sh -c '
cd "$I" && "$I/bin/pivot_root" . old && exec 9</ && /bin/umount -l /old && {switch}'
echo "status $?"
echo "initramfs now:" $(ls -A $I) $(cat $I/dir/sub/deeper/file 2>/dev/null)
"#
    )
}

#[test]
fn switch_root_into_a_prepared_root() {
    if !can_ns("switch_root_into_a_prepared_root") {
        return;
    }
    let d = Dir::new();
    let o = ns(
        &d,
        &switch_root_script("exec /bin/switch_root /new /sbin/init a1 a2"),
    );
    let want = "MARKER pid=1 marker=newroot args=a1 a2
root: bin dev lib lib64 marker proc sbin usr
initramfs left: keep new canary: kept
";
    expect(o, &d, &format!("{want}status 0\ninitramfs now: keep new\n"));
    // -c: the new init's output goes to the console given.
    d.write("devdir/console", "");
    let o = ns(
        &d,
        &switch_root_script("exec /bin/switch_root -c /dev/console /new /sbin/init a1 a2"),
    );
    expect(o, &d, "status 0\ninitramfs now: keep new\n");
    assert_eq!(String::from_utf8_lossy(&d.read("devdir/console")), want);
}

#[test]
fn switch_root_refusals_leave_everything_in_place() {
    if !can_ns("switch_root_refusals_leave_everything_in_place") {
        return;
    }
    let d = Dir::new();
    // NEW_INIT missing: refused before anything is deleted.
    let o = ns(
        &d,
        &switch_root_script("exec /bin/switch_root /new /sbin/nosuchinit"),
    );
    expect(
        o,
        &d,
        "switch_root: can't execute '/sbin/nosuchinit': No such file or directory
status 1
initramfs now: bin dangling dir init keep new old oldlink data
",
    );
    d.mkdir("notmnt");
    d.mkdir("newr");
    let o = ns(
        &d,
        r#"
switch_root /new /sbin/init; echo $?
switch_root "$D/notmnt" /sbin/init; echo $?
mount -t tmpfs n newr
sh -c 'switch_root newr /sbin/init'; echo $?
switch_root; echo $?
"#,
    );
    expect(
        o,
        &d,
        "switch_root: can't change directory to '/new': No such file or directory
1
switch_root: NEW_ROOT must be a mountpoint
Usage: switch_root [-c CONSOLE] [-n] NEW_ROOT NEW_INIT [ARGS]
1
switch_root: PID must be 1
Usage: switch_root [-c CONSOLE] [-n] NEW_ROOT NEW_INIT [ARGS]
1
switch_root: missing operand
Usage: switch_root [-c CONSOLE] [-n] NEW_ROOT NEW_INIT [ARGS]
1
",
    );
    // As PID 1 but with / not an initramfs: no /init here ...
    let o = ns(
        &d,
        "mount -t tmpfs n newr; exec switch_root newr /sbin/init",
    );
    assert_eq!(
        (o.code, o.out()),
        (1, "switch_root: can't stat '/init'\n".to_string())
    );
    // ... and a root on a disk filesystem (a chroot into the scratch
    // directory, which has an /init) is refused, nothing deleted.
    d.mkdir("fake/bin");
    d.mkdir("fake/new");
    d.write("fake/init", "keep me");
    d.write("fake/dir/file", "keep me too");
    let o = ns(
        &d,
        r#"cp "$B/mount" fake/bin/switch_root; mount -t tmpfs n fake/new
exec chroot fake /bin/switch_root /new /sbin/init"#,
    );
    assert_eq!(
        (o.code, o.out()),
        (
            1,
            "switch_root: root filesystem is not ramfs/tmpfs\n".to_string()
        )
    );
    assert_eq!(d.read("fake/init"), b"keep me");
    assert_eq!(d.read("fake/dir/file"), b"keep me too");
    assert!(d.exists("fake/bin/switch_root"));
}

#[test]
fn pivot_root_errors_and_chroot() {
    if !can_ns("pivot_root_errors_and_chroot") {
        return;
    }
    let d = Dir::new();
    d.mkdir("root/bin");
    d.mkdir("root/old");
    let o = ns(
        &d,
        r#"
pivot_root nowhere root/old; echo $?
pivot_root root; echo $?
cp "$B/echo" root/bin/echo
chroot root /bin/echo hello; echo $?
chroot root echo via-path; echo $?
chroot root /bin/missing; echo $?
chroot root /bin; echo $?
chroot nowhere /bin/echo; echo $?
chroot; echo $?
chroot --userspec=65534:65534 / /usr/bin/id -u; echo $?
chroot --userspec=nosuchuser / true; echo $?
chroot --userspec=4242 / true; echo $?
chroot --groups=nosuchgroup / true; echo $?
chroot --skip-chdir root true; echo $?
cd root; chroot --skip-chdir / /usr/bin/pwd; cd "$D"
SHELL=/bin/echo chroot root; echo $?
"#,
    );
    expect(
        o,
        &d,
        "pivot_root: failed to change root from `nowhere' to `root/old': No such file or directory
1
pivot_root: bad usage
Usage: pivot_root NEW_ROOT PUT_OLD
1
hello
0
via-path
0
chroot: failed to run command '/bin/missing': No such file or directory
127
chroot: failed to run command '/bin': Permission denied
126
chroot: cannot change root directory to 'nowhere': No such file or directory
125
chroot: missing operand
Usage: chroot [--userspec=USER:GROUP] [--groups=G,...] [--skip-chdir] NEWROOT [COMMAND [ARG]...]
125
65534
0
chroot: invalid user
125
chroot: no group specified for unknown uid: 4242
125
chroot: invalid group 'nosuchgroup'
125
chroot: option --skip-chdir only permitted if NEWROOT is old '/'
Usage: chroot [--userspec=USER:GROUP] [--groups=G,...] [--skip-chdir] NEWROOT [COMMAND [ARG]...]
125
D/root
-i
0
",
    );
}

// ---------------------------------------------------------------- mdev

#[test]
fn mdev_scan_and_hotplug_into_a_tmpfs_dev() {
    if !can_ns("mdev_scan_and_hotplug_into_a_tmpfs_dev") {
        return;
    }
    let d = Dir::new();
    d.write(
        "mdev.conf",
        "# rules\n\
         zero 0:0 640 =zz/\n\
         full 0:0 644 >myfull\n\
         random 0:0 640 !\n\
         -ran.* 0:0 600\n\
         @1,9 0:0 604\n\
         kmsg 0:0 600 @echo \"$ACTION $MDEV\" >> /dev/log.txt\n\
         $SUBSYSTEM=mem 0:0 620\n",
    );
    let o = ns(
        &d,
        r#"
cp "$B/mdev" ./mdev
mount -t tmpfs dev /dev
IBEX_MDEV_CONF="$D/mdev.conf" ./mdev -s; echo "scan $?"
cd /dev
stat -c '%n %F %t:%T %a' null zz/zero myfull full urandom kmsg 2>&1
[ -e random ] || echo "no random"
cat log.txt
stat -c '%F %t:%T' loop-control
for x in /sys/dev/block/*; do
  n=$(grep DEVNAME= $x/uevent | cut -d= -f2); [ -b "/dev/$n" ] || echo "missing $n"
done; echo "block devices checked"
for x in /sys/dev/char/*; do
  n=$(grep DEVNAME= $x/uevent | cut -d= -f2)
  case $n in */*) [ -c "/dev/$n" ] || echo "missing $n";; esac
done; echo "subdirectories checked"
# /dev/root links to the block device holding "/" (when there is one).
r=$(stat -c %d /); want=none
n=$(grep DEVNAME= "/sys/dev/block/$(( (r >> 8) & 4095 )):$(( (r & 255) | ((r >> 12) & ~255) ))/uevent" 2>/dev/null) && want=${n#DEVNAME=}
[ "$(readlink /dev/root || echo none)" = "$want" ] && echo "root link ok"
cd "$D"
export IBEX_MDEV_CONF=/nonexistent
ACTION=remove DEVPATH=/devices/virtual/mem/null SUBSYSTEM=mem MAJOR=1 MINOR=3 DEVNAME=null ./mdev; echo "remove $?"
[ -e /dev/null ] || echo "null removed"
ACTION=add DEVPATH=/devices/virtual/mem/null SUBSYSTEM=mem ./mdev; echo "add $?"
stat -c '%n %F %t:%T %a' /dev/null
ACTION=add DEVPATH=/devices/virtual/mem/kmsg SUBSYSTEM=mem IBEX_MDEV_CONF="$D/mdev.conf" ./mdev
cat /dev/log.txt
./mdev; echo $?
"#,
    );
    expect(
        o,
        &d,
        "scan 0
null character special file 1:3 620
zz/zero character special file 1:5 640
myfull character special file 1:7 644
full symbolic link 0:0 777
urandom character special file 1:9 604
kmsg character special file 1:b 600
no random
add kmsg
character special file a:ed
block devices checked
subdirectories checked
root link ok
remove 0
null removed
add 0
/dev/null character special file 1:3 666
add kmsg
add kmsg
mdev: no -s and no ACTION/DEVPATH in the environment
Usage: mdev [-s]
1
",
    );
}

// ---------------------------------------------------------------- dmesg, sysctl, hostname

#[test]
fn dmesg_reads_the_log_and_cannot_clear_without_privilege() {
    if skip_unless_root("dmesg_reads_the_log_and_cannot_clear_without_privilege") {
        return;
    }
    let d = Dir::new();
    // The oldest lines are stable while the test runs.
    let o = d
        .sh("$B/dmesg -r | head -5 | sed 's/^<[0-9]*>//' > a; $B/dmesg | head -5 > b; cmp a b && echo same; $B/dmesg -r | head -1 | grep -c '^<[0-9]*>'")
        .go();
    o.expect(0, b"same\n1\n", b"");
    d.sh("$B/dmesg -n zz")
        .go()
        .expect(1, b"", b"dmesg: invalid number 'zz'\n");
    d.sh("$B/dmesg -s 0")
        .go()
        .expect(1, b"", b"dmesg: invalid number '0'\n");
    // Clearing and the console level need CAP_SYSLOG in the initial user
    // namespace: inside a new user namespace they fail, harmlessly.
    let userns = std::process::Command::new("unshare")
        .args(["--user", "--map-root-user", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !userns {
        eprintln!("SKIPPED dmesg -c/-C/-n: unshare --user unavailable");
        return;
    }
    for opt in ["-C", "-c", "-n 1"] {
        d.sh(&format!(
            "unshare --user --map-root-user $B/dmesg {opt} >/dev/null"
        ))
        .go()
        .expect(1, b"", b"dmesg: klogctl: Operation not permitted\n");
    }
}

#[test]
fn sysctl_in_namespaces() {
    if !can_ns("sysctl_in_namespaces") {
        return;
    }
    let d = Dir::new();
    d.write(
        "sysctl.conf",
        "# comment\n; also a comment\n\nkernel.hostname = fromfile\n net.ipv4.ip_forward=1\n-no.such.key = 3\nbad line\n",
    );
    let o = ns(
        &d,
        r#"
sysctl -w kernel.hostname=box1; echo $?
sysctl kernel.hostname; sysctl -n kernel/hostname
sysctl kernel.domainname=dom -q; echo $?
sysctl -N kernel.domainname
sysctl -p sysctl.conf; echo "p $?"
hostname
sysctl net.ipv4.ip_forward
sysctl -a | grep -c '^kernel.hostname = fromfile$'
sysctl no.such.key; echo $?
sysctl -e no.such.key; echo $?
sysctl ../../etc/hostname; echo $?
sysctl -w kernel..hostname=x; echo $?
sysctl -w kernel.hostname; echo $?
sysctl -w fs.file-nr=1; echo $?
sysctl net.ipv4.conf.lo | grep -c '^net.ipv4.conf.lo.forwarding = '
sysctl -p nofile; echo $?
sysctl; echo $?
"#,
    );
    expect(
        o,
        &d,
        "kernel.hostname = box1
0
kernel.hostname = box1
box1
0
kernel.domainname
kernel.hostname = fromfile
net.ipv4.ip_forward = 1
sysctl: warning: 'bad line' is not of the form name=value
p 1
fromfile
net.ipv4.ip_forward = 1
1
sysctl: error: 'no.such.key' is an unknown key
1
0
sysctl: error: '......etc.hostname' is an unknown key
1
sysctl: error: 'kernel..hostname' is an unknown key
1
sysctl: error: 'kernel.hostname' must be of the form name=value
1
sysctl: error setting key 'fs.file-nr': Permission denied
1
1
sysctl: can't open 'nofile': No such file or directory
1
sysctl: no keys given
Usage: sysctl -p [-enq] [FILE...] / [-enqaw] [KEY[=VALUE]]...
1
",
    );
}

#[test]
fn hostname_in_a_uts_namespace() {
    if !can_ns("hostname_in_a_uts_namespace") {
        return;
    }
    let d = Dir::new();
    d.write("name", "# the name\n\n  box.example.org  \nignored\n");
    let o = ns(
        &d,
        r#"
hostname alpha.beta.example; echo $?
hostname; hostname -s; hostname -d
hostname -F name; echo $?; hostname
hostname -f
hostname -i; echo $?
hostname ''; echo $?
hostname -F nofile; echo $?
hostname a b; echo $?
"#,
    );
    expect(
        o,
        &d,
        "0
alpha.beta.example
alpha
beta.example
0
box.example.org
box.example.org
hostname: box.example.org: Name or service not known
1
hostname: the specified hostname is invalid
1
hostname: nofile: No such file or directory
1
hostname: too many arguments
Usage: hostname [-sidf] [HOSTNAME | -F FILE]
1
",
    );
}
