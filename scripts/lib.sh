# Shared set-up for the scripts: install what a fresh Debian machine lacks.

# The musl target and the standard library's source (for rebuilding std).
ensure_rust() {
    if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
        rustup target add x86_64-unknown-linux-musl >&2
    fi
    if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
        rustup component add rust-src >&2 || true
    fi
    for c in rustfmt clippy; do
        if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
            rustup component add "$c" >&2 || true
        fi
    done
}

# Debian packages, installed only when a command is missing.
# Usage: ensure_pkg COMMAND PACKAGE
ensure_pkg() {
    if ! command -v "$1" >/dev/null 2>&1; then
        if [ -z "${IBEX_APT_UPDATED:-}" ]; then
            apt-get update -qq >&2 || true
            IBEX_APT_UPDATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
    fi
}

# Debian's kernel for the boot test, extracted (never installed) into
# target/kernel: sets KVER, KERNEL (the image to boot) and KMODS (the
# module tree). The uncompressed vmlinux is taken out of the bzImage when
# python3 can, so QEMU boots it through the PVH entry and TCG does not
# spend seconds on the kernel decompressing itself.
ensure_kernel() {
    kdir=${IBEX_KERNEL_DIR:-$PWD/target/kernel}
    if [ ! -f "$kdir/ready" ]; then
        ensure_pkg dpkg-deb dpkg
        rm -rf "$kdir" && mkdir -p "$kdir/deb"
        [ -n "${IBEX_APT_UPDATED:-}" ] || { apt-get update -qq >&2 || true; IBEX_APT_UPDATED=1; }
        pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)/\1/p' | head -1)
        [ -n "$pkg" ] || { echo "ensure_kernel: no linux-image-amd64 dependency found" >&2; return 1; }
        (cd "$kdir/deb" && apt-get download "$pkg" >&2 2>/dev/null || apt-get download "$pkg" >&2)
        dpkg-deb -x "$kdir"/deb/*.deb "$kdir/root"
        rm -rf "$kdir/deb"
        touch "$kdir/ready"
    fi
    KVER=$(ls "$kdir/root/lib/modules" | head -1)
    KMODS=$kdir/root/lib/modules/$KVER
    KERNEL=$kdir/root/boot/vmlinuz-$KVER
    if [ ! -f "$kdir/vmlinux" ] && command -v python3 >/dev/null 2>&1; then
        python3 - "$KERNEL" "$kdir/vmlinux" <<'PY' >&2 || rm -f "$kdir/vmlinux"
import lzma, sys
data = open(sys.argv[1], "rb").read()
at = data.find(b"\xfd7zXZ\x00")
if at < 0:
    sys.exit("no xz payload in the kernel image")
elf = lzma.LZMADecompressor().decompress(data[at:])
if elf[:4] != b"\x7fELF":
    sys.exit("the payload is not an ELF vmlinux")
open(sys.argv[2], "wb").write(elf)
PY
    fi
    if [ -f "$kdir/vmlinux" ] && [ -z "${IBEX_BZIMAGE:-}" ]; then
        KERNEL=$kdir/vmlinux
    fi
}

# Debian's source package PACKAGE unpacked into DIR (a deb-src twin of the
# Debian entry is added when missing). Never installed, never committed.
ensure_deb_source() {
    [ ! -d "$2" ] || return 0
    ensure_pkg dpkg-source dpkg-dev
    list=/etc/apt/sources.list.d/debian-src.sources
    if [ ! -e "$list" ] && [ -e /etc/apt/sources.list.d/debian.sources ]; then
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$list"
        apt-get update -qq >&2
    fi
    tmp=$(mktemp -d)
    if ! (cd "$tmp" && apt-get source -qq "$1" >/dev/null 2>&1); then
        apt-get update -qq >&2
        (cd "$tmp" && apt-get source -qq "$1" >/dev/null)
    fi
    mkdir -p "$(dirname "$2")"
    mv "$tmp/$1"-*/ "$2"
    rm -rf "$tmp"
}
