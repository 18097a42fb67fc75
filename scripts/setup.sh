#!/usr/bin/env bash
# Makes a fresh Debian machine ready, then gets out of the way: it runs before `npm start`
# (mode "run") and `npm test` / `npm run bench` (mode "test") and does nothing when all is there.
#   run:  Debian's chromium-headless-shell (Remotion cannot download its own browser here), Debian's
#         ffmpeg (the compositor's filters; Remotion's bundled ffmpeg has too few) + npm ci
#   test: the same, plus Debian's redis-server (the farm tests start their own on a free port;
#         tests and the benchmark also make their media with ffmpeg's lavfi sources)
set -euo pipefail
mode="${1:-run}"
cd "$(dirname "$0")/.."

say() { echo "[setup] $*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  say "Node.js 20 or newer is required (found $(node -v))."
  exit 1
fi

packages=()
if [ -z "${BROWSER_EXECUTABLE:-}" ] && [ ! -x /usr/bin/chromium-headless-shell ]; then
  packages+=(chromium-headless-shell)
fi
if [ -z "${FFMPEG_PATH:-}" ] && { [ ! -x /usr/bin/ffmpeg ] || [ ! -x /usr/bin/ffprobe ]; }; then
  packages+=(ffmpeg)
fi
if [ "$mode" = test ] && ! command -v redis-server >/dev/null; then
  packages+=(redis-server)
fi
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      say "Missing Debian packages: ${packages[*]}. Install them as root: apt-get install -y ${packages[*]}"
      exit 1
    fi
  fi
  say "installing ${packages[*]} from apt"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update >/dev/null
    $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null
  }
fi

# npm ci when node_modules is missing or was installed from another lock file.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.gen-video-lock
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  say "installing npm packages (npm ci; better-sqlite3 may compile for a minute)"
  npm ci --no-audit --no-fund >&2
  echo "$lock_hash" > "$stamp"
fi

# Native modules must load on this Node; a copied node_modules may hold a foreign build.
if ! node -e 'new (require("better-sqlite3"))(":memory:").close()' 2>/dev/null; then
  say "rebuilding better-sqlite3 for $(node -v)"
  npm rebuild better-sqlite3 >&2
  node -e 'new (require("better-sqlite3"))(":memory:").close()'
fi
