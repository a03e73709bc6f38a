#!/usr/bin/env bash
# Installs Ratusz on a Debian 12 server, or brings an installed server back to the
# wanted state. Running it again changes nothing that is already right; secrets
# (APP_KEY, database and backup passwords, the VPN server key) are generated once.
#
#   install.sh [--root DIR] [--release DIR|TARBALL] [--hostname NAME] [--port N]
#              [--backup-dir DIR] [--vpn-range CIDR] [--vpn-port N] [--wg-iface NAME]
#
# --root DIR writes the whole tree under DIR instead of / and only prints the
# commands (apt-get, useradd, chown, npm, systemctl) it would run on a server.
#
# Exit codes: 0 installed (or already up to date), 1 a step failed, 2 bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root=""
release_src="$(cd "$here/.." && pwd)"
hostname_opt=""
port_opt=""
backup_dir_opt=""
vpn_range_opt=""
vpn_port_opt=""
wg_iface_opt=""

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die_usage() {
  echo "install: $1" >&2
  echo "Run 'install.sh --help' for the options." >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --root | --release | --hostname | --port | --backup-dir | --vpn-range | --vpn-port | --wg-iface)
      if [ $# -lt 2 ] || [ -z "$2" ]; then die_usage "option $1 needs a value"; fi
      case "$1" in
        --root) root="$(mkdir -p "$2" && cd "$2" && pwd)" ;;
        --release) release_src="$2" ;;
        --hostname) hostname_opt="$2" ;;
        --port) port_opt="$2" ;;
        --backup-dir) backup_dir_opt="$2" ;;
        --vpn-range) vpn_range_opt="$2" ;;
        --vpn-port) vpn_port_opt="$2" ;;
        --wg-iface) wg_iface_opt="$2" ;;
      esac
      shift 2
      ;;
    *) die_usage "unknown argument '$1'" ;;
  esac
done

if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
  echo "install: run as root (or pass --root DIR to write a tree for inspection)" >&2
  exit 1
fi

changes=0
work="$(mktemp -d /tmp/ratusz-install.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# A command that changes the running system: executed on a server, printed under --root.
system() {
  if [ -n "$root" ]; then
    echo "would run: $*"
  else
    echo "run: $*"
    "$@"
  fi
}

changed() {
  changes=$((changes + 1))
  echo "changed: $1"
}

# Writes file $1 (content) to path $2 with mode $3 when the content or mode differ.
put_file() {
  local src=$1 dest="$root$2" mode=$3
  mkdir -p "$(dirname "$dest")"
  if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then
    return 0
  fi
  install -m "$mode" "$src" "$dest"
  changed "$2"
}

put_dir() {
  local dest="$root$1" mode=$2
  if [ -d "$dest" ] && [ "$(stat -c %a "$dest")" = "${mode#0}" ]; then
    return 0
  fi
  mkdir -p "$dest"
  chmod "$mode" "$dest"
  changed "$1/"
}

# Ownership needs the system user, which --root does not create.
own() {
  local owner=$1
  shift
  if [ -n "$root" ]; then
    echo "would run: chown $owner $*"
  else
    chown "$owner" "$@"
  fi
}

random_secret() {
  head -c 32 /dev/urandom | base64 | tr -d '=+/\n' | cut -c1-40
}

wg_private_key() {
  if command -v wg >/dev/null 2>&1; then
    wg genkey
  else
    openssl genpkey -algorithm X25519 -outform DER | tail -c 32 | base64
  fi
}

# The public half of a WireGuard private key (as `wg pubkey`), for the app to read.
wg_public_key() {
  if command -v wg >/dev/null 2>&1; then
    printf '%s\n' "$1" | wg pubkey
  else
    # PKCS#8 header of an X25519 key, then the raw 32 bytes; the DER public key ends with its 32 bytes.
    { printf '\060\056\002\001\000\060\005\006\003\053\145\156\004\042\004\040'; printf '%s' "$1" | base64 -d; } |
      openssl pkey -inform DER -pubout -outform DER | tail -c 32 | base64
  fi
}

# --- packages ------------------------------------------------------------------------
packages=(restic wireguard-tools caddy sqlite3 curl npm ca-certificates)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  system apt-get install -y --no-install-recommends "${missing[@]}"
fi

# --- system user ---------------------------------------------------------------------
if [ -n "$root" ]; then
  echo "would run: useradd --system --home-dir /var/lib/ratusz --shell /usr/sbin/nologin --user-group ratusz (when missing)"
elif ! getent passwd ratusz >/dev/null; then
  system useradd --system --home-dir /var/lib/ratusz --shell /usr/sbin/nologin --user-group ratusz
fi

# --- configuration (/etc/ratusz/ratusz.env) ------------------------------------------
env_file=/etc/ratusz/ratusz.env
existing="$work/existing.env"
: >"$existing"
[ -f "$root$env_file" ] && cp "$root$env_file" "$existing"

current() {
  grep -E "^$1=" "$existing" | tail -1 | cut -d= -f2- || true
}

# value = explicit option, else what the file has, else the default (or a new secret).
pick() {
  local key=$1 option=$2 default=$3
  if [ -n "$option" ]; then
    printf '%s' "$option"
  elif grep -qE "^$key=" "$existing"; then
    current "$key"
  else
    printf '%s' "$default"
  fi
}

host_default="$(hostname -f 2>/dev/null || hostname)"
[ -n "$root" ] && host_default=ratusz.local
hostname_value="$(pick RATUSZ_HOSTNAME "$hostname_opt" "$host_default")"
port_value="$(pick PORT "$port_opt" 3333)"
backup_dir="$(pick RATUSZ_BACKUP_DIR "$backup_dir_opt" /srv/ratusz-backup)"
vpn_range="$(pick RATUSZ_VPN_RANGE "$vpn_range_opt" 10.77.0.0/24)"
vpn_port="$(pick RATUSZ_VPN_PORT "$vpn_port_opt" 51820)"
wg_iface="$(pick RATUSZ_WG_IFACE "$wg_iface_opt" wg0)"

case "$port_value" in '' | *[!0-9]*) die_usage "--port must be a number" ;; esac
case "$vpn_port" in '' | *[!0-9]*) die_usage "--vpn-port must be a number" ;; esac
case "$backup_dir" in /*) ;; *) die_usage "--backup-dir must be an absolute path" ;; esac
[[ "$vpn_range" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$ ]] || die_usage "--vpn-range must be an IPv4 CIDR such as 10.77.0.0/24"
[[ "$wg_iface" =~ ^[a-z][a-z0-9]{0,14}$ ]] || die_usage "--wg-iface must be a short interface name such as wg0"
[[ "$hostname_value" =~ ^[A-Za-z0-9.-]+$ ]] || die_usage "--hostname must be a host name"

{
  echo "# Ratusz configuration, written by appliance/install.sh. Secrets were generated once;"
  echo "# edit values here and restart: systemctl restart ratusz-web ratusz-worker"
  echo "NODE_ENV=production"
  echo "TZ=UTC"
  echo "HOST=127.0.0.1"
  echo "PORT=$port_value"
  echo "APP_KEY=$(pick APP_KEY "" "$(random_secret)")"
  echo "APP_URL=$(pick APP_URL "" "https://$hostname_value")"
  echo "LOG_LEVEL=$(pick LOG_LEVEL "" info)"
  echo "RATUSZ_HOSTNAME=$hostname_value"
  echo "RATUSZ_DATA=/var/lib/ratusz"
  echo "RATUSZ_DEMO=false"
  echo "STAFF_NETWORKS=$(pick STAFF_NETWORKS "" "127.0.0.0/8,::1/128,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8,$vpn_range")"
  echo "TRUSTED_PROXIES=127.0.0.1,::1"
  echo "TLS=true"
  echo "DB_CONNECTION=$(pick DB_CONNECTION "" sqlite)"
  echo "PG_HOST=$(pick PG_HOST "" 127.0.0.1)"
  echo "PG_PORT=$(pick PG_PORT "" 5432)"
  echo "PG_USER=$(pick PG_USER "" ratusz)"
  echo "PG_PASSWORD=$(pick PG_PASSWORD "" "$(random_secret)")"
  echo "PG_DB_NAME=$(pick PG_DB_NAME "" ratusz)"
  echo "SESSION_DRIVER=cookie"
  echo "LIMITER_STORE=database"
  echo "QUEUE_DRIVER=database"
  echo "MAIL_MODE=$(pick MAIL_MODE "" smtp)"
  echo "MAIL_FROM_ADDRESS=$(pick MAIL_FROM_ADDRESS "" "urzad@$hostname_value")"
  echo "MAIL_FROM_NAME=$(pick MAIL_FROM_NAME "" "Urząd Gminy")"
  echo "SMTP_HOST=$(pick SMTP_HOST "" 127.0.0.1)"
  echo "SMTP_PORT=$(pick SMTP_PORT "" 25)"
  echo "RATUSZ_ADMIN_EMAIL=$(pick RATUSZ_ADMIN_EMAIL "" "")"
  echo "RATUSZ_BACKUP_DIR=$backup_dir"
  echo "RATUSZ_BACKUP_REPOSITORY=$(pick RATUSZ_BACKUP_REPOSITORY "" "$backup_dir/restic")"
  echo "RATUSZ_BACKUP_PASSWORD_FILE=/etc/ratusz/backup-password"
  echo "RATUSZ_BACKUP_PARTNER_REPOSITORY=$(pick RATUSZ_BACKUP_PARTNER_REPOSITORY "" "")"
  echo "RATUSZ_BACKUP_PARTNER_PASSWORD_FILE=$(pick RATUSZ_BACKUP_PARTNER_PASSWORD_FILE "" "")"
  echo "RESTIC_CACHE_DIR=/var/cache/ratusz/restic"
  echo "RATUSZ_WG_IFACE=$wg_iface"
  echo "RATUSZ_VPN_RANGE=$vpn_range"
  echo "RATUSZ_VPN_PORT=$vpn_port"
  echo "RATUSZ_VPN_ENDPOINT=$(pick RATUSZ_VPN_ENDPOINT "" "$hostname_value:$vpn_port")"
  echo "RATUSZ_VPN_SERVER_KEY_FILE=/etc/ratusz/wg-server.pub"
  echo "RATUSZ_VPN_PEERS_FILE=/var/lib/ratusz/vpn/peers.conf"
} >"$work/ratusz.env"
# Keys the administrator added by hand stay, after ours.
while IFS= read -r line; do
  key="${line%%=*}"
  case "$line" in '#'* | '') continue ;; esac
  grep -qE "^$key=" "$work/ratusz.env" || echo "$line" >>"$work/ratusz.env"
done <"$existing"

put_dir /etc/ratusz 0750
put_file "$work/ratusz.env" "$env_file" 0600

# The backup repository password: generated once, readable only by the service user.
if [ ! -s "$root/etc/ratusz/backup-password" ]; then
  random_secret >"$work/backup-password"
  echo >>"$work/backup-password"
  put_file "$work/backup-password" /etc/ratusz/backup-password 0600
  echo "A new backup password is in /etc/ratusz/backup-password: print the recovery sheet with 'ratusz backup sheet' and keep it in the office safe."
fi
own ratusz:ratusz "$root/etc/ratusz/backup-password"
own root:ratusz "$root/etc/ratusz"

# --- code (/opt/ratusz/releases/VERSION, /opt/ratusz/current) -------------------------
stage="$work/release"
mkdir -p "$stage"
if [ -f "$release_src" ]; then
  tar -xzf "$release_src" -C "$stage" --no-same-owner
  # A tarball with one top folder holds the release inside it.
  entries=("$stage"/*)
  if [ ${#entries[@]} -eq 1 ] && [ -d "${entries[0]}" ] && [ ! -f "$stage/package.json" ]; then
    stage="${entries[0]}"
  fi
elif [ -d "$release_src" ]; then
  tar -C "$release_src" --owner=0 --group=0 \
    --exclude=./node_modules --exclude=./.git --exclude=./tmp --exclude=./storage \
    --exclude=./.env --exclude=./build --exclude=./.adonisjs -cf - . | tar -xf - -C "$stage" --no-same-owner
else
  echo "install: release '$release_src' is neither a directory nor a tarball" >&2
  exit 1
fi
[ -f "$stage/package.json" ] || { echo "install: release has no package.json" >&2; exit 1; }
version="$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$stage/package.json" | head -1)"
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || { echo "install: cannot read the version from package.json" >&2; exit 1; }

target="/opt/ratusz/releases/$version"
put_dir /opt/ratusz 0755
put_dir /opt/ratusz/releases 0755
if [ ! -d "$root$target" ] || ! diff -rq --no-dereference -x node_modules "$stage" "$root$target" >/dev/null 2>&1; then
  if [ -d "$root$target/node_modules" ]; then
    mv "$root$target/node_modules" "$stage/node_modules"
  fi
  rm -rf "$root$target"
  cp -a "$stage" "$root$target"
  chmod 0755 "$root$target"
  changed "$target"
fi
if [ "$(readlink "$root/opt/ratusz/current" 2>/dev/null || true)" != "releases/$version" ]; then
  ln -sfn "releases/$version" "$root/opt/ratusz/current"
  changed /opt/ratusz/current
fi
if [ ! -x "$root$target/node_modules/.bin/node" ]; then
  system sh -c "cd '$target' && npm ci --no-audit --no-fund && node_modules/.bin/node ace.js build"
fi
mkdir -p "$root/usr/local/bin"
if [ "$(readlink "$root/usr/local/bin/ratusz" 2>/dev/null || true)" != /opt/ratusz/current/appliance/bin/ratusz ]; then
  ln -sfn /opt/ratusz/current/appliance/bin/ratusz "$root/usr/local/bin/ratusz"
  changed /usr/local/bin/ratusz
fi

# --- state (/var/lib/ratusz) ---------------------------------------------------------
put_dir /var/lib/ratusz 0750
put_dir /var/lib/ratusz/files 0750
put_dir /var/lib/ratusz/vpn 0700
own -R ratusz:ratusz "$root/var/lib/ratusz"
put_dir /var/cache/ratusz 0750
own ratusz:ratusz "$root/var/cache/ratusz"

# --- reverse proxy (Caddy) -----------------------------------------------------------
# A public name gets an automatic certificate; a name inside the office (no dot, .local,
# .lan, .internal, .localhost or an address) gets one from Caddy's internal CA.
if [[ "$hostname_value" =~ \.(local|lan|internal|localhost|home\.arpa)$ ]] || [[ "$hostname_value" != *.* ]] || [[ "$hostname_value" =~ ^[0-9.]+$ ]]; then
  caddy_template=Caddyfile.internal
else
  caddy_template=Caddyfile.public
fi
sed -e "s|@HOSTNAME@|$hostname_value|g" -e "s|@PORT@|$port_value|g" \
  "$here/templates/$caddy_template" >"$work/Caddyfile"
put_file "$work/Caddyfile" /etc/caddy/Caddyfile 0644

# --- WireGuard interface (the private key never leaves /etc/wireguard) ----------------
put_dir /etc/wireguard 0700
wg_conf="/etc/wireguard/$wg_iface.conf"
server_address="$(echo "$vpn_range" | awk -F'[./]' '{printf "%d.%d.%d.%d/%d", $1, $2, $3, $4 + 1, $5}')"
if [ -f "$root$wg_conf" ]; then
  private_key="$(sed -n 's/^PrivateKey *= *//p' "$root$wg_conf" | head -1)"
  peers="$(sed -n '/^\[Peer\]/,$p' "$root$wg_conf")"
else
  private_key="$(wg_private_key)"
  peers=""
fi
{
  echo "# Interface written by the Ratusz installer; [Peer] sections by ratusz-wg-apply."
  echo "[Interface]"
  echo "Address = $server_address"
  echo "ListenPort = $vpn_port"
  echo "PrivateKey = $private_key"
  [ -n "$peers" ] && printf '\n%s\n' "$peers"
} >"$work/wg.conf"
put_file "$work/wg.conf" "$wg_conf" 0600
# Only the public key leaves /etc/wireguard: the web process reads it to write client configurations.
wg_public_key "$private_key" >"$work/wg-server.pub"
put_file "$work/wg-server.pub" /etc/ratusz/wg-server.pub 0644

# --- systemd units -------------------------------------------------------------------
grep -v '^#' "$here/systemd/hardening.conf" >"$work/hardening"
for unit in "$here"/systemd/ratusz-*.service "$here"/systemd/ratusz-*.timer "$here"/systemd/ratusz-*.path; do
  name="$(basename "$unit")"
  sed -e "/@HARDENING@/{r $work/hardening" -e 'd}' \
    -e "s|@BACKUP_DIR@|$backup_dir|g" -e "s|@WG_IFACE@|$wg_iface|g" "$unit" >"$work/$name"
  put_file "$work/$name" "/etc/systemd/system/$name" 0644
done

# --- start ---------------------------------------------------------------------------
if [ "$changes" -gt 0 ] || [ -n "$root" ]; then
  system systemctl daemon-reload
  system systemctl enable --now "wg-quick@$wg_iface.service"
  system systemctl enable --now ratusz-web.service ratusz-worker.service ratusz-wg-sync.path \
    ratusz-backup.timer ratusz-backup-check.timer
  system systemctl restart ratusz-web.service ratusz-worker.service
  system systemctl reload-or-restart caddy.service
fi

if [ "$changes" -eq 0 ]; then
  echo "install: no changes (Ratusz $version is installed as wanted)"
else
  echo "install: $changes change(s), Ratusz $version"
fi
