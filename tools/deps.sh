# shellcheck shell=bash
# tools/deps.sh: the Debian packages phuong builds, runs and tests with, and the one
# function that installs those missing. Sourced (not run) by .ci/run, tools/test and
# the README's run command:
#
#	. tools/deps.sh && phuong_deps_install
#
# Only missing packages are installed, quietly, without questions. nodejs and npm are
# left out when `node` and `npm` are already on PATH (installed outside apt).

PHUONG_DEBS=(
	# build
	build-essential pkg-config meson ninja-build
	# libraries (see DESIGN.md "Dependencies")
	libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev libsodium-dev libutf8proc-dev
	libcmark-gfm-dev libcmark-gfm-extensions-dev libgd-dev libmagic-dev libinih-dev gettext
	libqrencode-dev libcurl4-openssl-dev libxlsxwriter-dev libseccomp-dev
	# tests: C units, HTTP end to end, browser
	libcmocka-dev python3-requests python3-lxml python3-feedparser python3-pytest python3-openpyxl
	zbar-tools librsvg2-bin
	# the PostgreSQL store and its tests
	libpq-dev postgresql postgresql-client
	chromium nodejs npm
	# fuzzing (tools/fuzz): clang with libFuzzer and the sanitizers' runtime
	clang libclang-rt-14-dev
	# bench
	wrk nginx-light
)

# phuong_deps_missing: prints the packages of PHUONG_DEBS that are not installed.
phuong_deps_missing() {
	local p
	for p in "${PHUONG_DEBS[@]}"; do
		if [[ $p == nodejs || $p == npm ]] && command -v node >/dev/null 2>&1 &&
			command -v npm >/dev/null 2>&1; then
			continue
		fi
		if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
			printf '%s\n' "$p"
		fi
	done
}

# phuong_deps_install: installs the missing packages with apt-get (as root, or through
# sudo). Returns non-zero when they can't be installed.
phuong_deps_install() {
	local missing sudo=()
	mapfile -t missing < <(phuong_deps_missing)
	((${#missing[@]} == 0)) && return 0
	if ((EUID != 0)); then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo --preserve-env=DEBIAN_FRONTEND)
		else
			echo "deps: missing ${missing[*]}; run as root to install them" >&2
			return 1
		fi
	fi
	echo "deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	local apt=(apt-get -q -y -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
	if ! "${sudo[@]}" "${apt[@]}" update >/dev/null ||
		! "${sudo[@]}" "${apt[@]}" install "${missing[@]}" >/dev/null; then
		echo "deps: apt-get install failed" >&2
		return 1
	fi
}

# phuong_npm_install DIR: installs DIR's npm packages (from its package-lock.json when
# there is one), unless DIR/node_modules is already up to date with the lock file.
phuong_npm_install() {
	local dir=$1
	[[ -f $dir/package.json ]] || return 0
	if [[ -f $dir/package-lock.json ]]; then
		if [[ -f $dir/node_modules/.package-lock.json &&
			! $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
			return 0
		fi
		(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	else
		(cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
	fi
}
