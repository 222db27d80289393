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
