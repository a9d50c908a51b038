# Shared by scripts/serve and scripts/test: make sure the machine can build
# interlock, and say clearly what is missing when it cannot.
# shellcheck shell=bash

die() {
    echo "interlock: $*" >&2
    exit 1
}

# Oxigraph's RocksDB backend runs bindgen, which needs libclang with its
# development files (the unversioned libclang.so comes with them), not the
# libclang-cpp that some machines carry.
have_libclang() {
    [ -n "${LIBCLANG_PATH:-}" ] && return 0
    local f
    for f in /usr/lib/llvm-*/lib/libclang.so /usr/lib/*/libclang-[0-9]*.so \
        /usr/lib64/libclang.so /usr/local/lib/libclang.so; do
        [ -e "$f" ] && return 0
    done
    return 1
}

# The shared folder (W3C manifests, GEXF schemas, real datasets) sits beside
# the project: ../shared. A clone made elsewhere finds it beside the
# repository it was cloned from. Exports INTERLOCK_SHARED when found.
locate_shared() {
    if [ -n "${INTERLOCK_SHARED:-}" ]; then return; fi
    local origin
    if [ -d ../shared ]; then
        INTERLOCK_SHARED="$(cd ../shared && pwd)"
    elif origin="$(git config --get remote.origin.url 2>/dev/null)" && [ -d "$origin/../shared" ]; then
        INTERLOCK_SHARED="$(cd "$origin/../shared" && pwd)"
    else
        return
    fi
    export INTERLOCK_SHARED
}

ensure_libclang() {
    have_libclang && return 0
    echo "interlock: libclang is missing (needed to build RocksDB); installing libclang-dev" >&2
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libclang-dev >/dev/null \
            || die "apt-get install libclang-dev failed"
    elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libclang-dev >/dev/null \
            || die "sudo apt-get install libclang-dev failed"
    else
        die "install libclang (Debian/Ubuntu: apt-get install libclang-dev; Fedora: dnf install clang-devel) and run again"
    fi
}

ensure_cargo() {
    command -v cargo >/dev/null || die "cargo is missing: install the Rust toolchain (https://rustup.rs)"
}

# Debian packages the tests use to read exports back, installed when missing.
ensure_debian_packages() {
    local missing=()
    local pkg bin
    for pair in "$@"; do
        pkg=${pair%%:*}
        bin=${pair##*:}
        command -v "$bin" >/dev/null || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "interlock: installing ${missing[*]}" >&2
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || die "apt-get install ${missing[*]} failed"
    else
        die "please install: ${missing[*]}"
    fi
}

# A Python virtual environment with the client libraries the tests use.
ensure_python_venv() {
    local venv="$1"
    shift
    command -v python3 >/dev/null || die "python3 is missing"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" || die "cannot create a Python virtual environment at $venv"
    fi
    if ! "$venv/bin/python" -c "import sys; sys.exit(0)" 2>/dev/null; then
        die "the virtual environment at $venv is broken; remove it and run again"
    fi
    "$venv/bin/pip" install -q --disable-pip-version-check "$@" || die "pip install $* failed"
}

# The page (web/): its npm packages, from package-lock.json, and its build
# into web/dist, which the server compiles into the binary. Run before
# cargo builds the server.
build_page() {
    command -v node >/dev/null && command -v npm >/dev/null \
        || die "Node.js and npm are missing (needed to build the page): install them (Debian: apt-get install nodejs npm)"
    if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
        (cd web && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci in web/ failed"
    fi
    (cd web && npm run --silent build) || die "building the page (npm run build in web/) failed"
}
