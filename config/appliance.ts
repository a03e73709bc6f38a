/*
 * Appliance settings: where backups go, how many are kept, the VPN interface. On a
 * server they come from /etc/ratusz/ratusz.env written by appliance/install.sh; in
 * development they default to folders beside the data directory.
 */
import { hostname } from 'node:os'
import { isAbsolute, join } from 'node:path'
import env from '#start/env'
import app from '@adonisjs/core/services/app'
import { dataDir } from '#config/ratusz'

function absolute(path: string) {
  return isAbsolute(path) ? path : join(app.appRoot.pathname, path)
}

const backupDir = absolute(env.get('RATUSZ_BACKUP_DIR', `${dataDir}-backup`))

const applianceConfig = {
  envFile: env.get('RATUSZ_ENV_FILE', '/etc/ratusz/ratusz.env'),
  adminEmail: env.get('RATUSZ_ADMIN_EMAIL', ''),
  backup: {
    dir: backupDir,
    repository: env.get('RATUSZ_BACKUP_REPOSITORY', join(backupDir, 'restic')),
    passwordFile: absolute(
      env.get('RATUSZ_BACKUP_PASSWORD_FILE', join(`${dataDir}-keys`, 'backup-password'))
    ),
    partnerRepository: env.get('RATUSZ_BACKUP_PARTNER_REPOSITORY', ''),
    partnerPasswordFile: env.get('RATUSZ_BACKUP_PARTNER_PASSWORD_FILE', ''),
    cacheDir: env.get('RESTIC_CACHE_DIR', ''),
    keep: {
      daily: env.get('RATUSZ_BACKUP_KEEP_DAILY', 7),
      weekly: env.get('RATUSZ_BACKUP_KEEP_WEEKLY', 5),
      monthly: env.get('RATUSZ_BACKUP_KEEP_MONTHLY', 12),
    },
    /* No successful backup for this long is a failure (nightly schedule plus slack). */
    maxAgeHours: env.get('RATUSZ_BACKUP_MAX_AGE_HOURS', 26),
  },
  vpn: {
    iface: env.get('RATUSZ_WG_IFACE', 'wg0'),
    range: env.get('RATUSZ_VPN_RANGE', '10.77.0.0/24'),
    port: env.get('RATUSZ_VPN_PORT', 51820),
    /* The installer writes host:port; elsewhere this machine's name is the best guess. */
    endpoint: env.get(
      'RATUSZ_VPN_ENDPOINT',
      `${env.get('RATUSZ_HOSTNAME') || hostname()}:${env.get('RATUSZ_VPN_PORT', 51820)}`
    ),
    /* Written by the installer from the root-only private key; the app reads only this. */
    serverKeyFile: absolute(
      env.get('RATUSZ_VPN_SERVER_KEY_FILE', join(`${dataDir}-keys`, 'wg-server.pub'))
    ),
    /* Watched by ratusz-wg-sync.path: rewriting it makes the root helper apply the peers. */
    peersFile: absolute(env.get('RATUSZ_VPN_PEERS_FILE', join(dataDir, 'vpn', 'peers.conf'))),
    /* Office LAN the clerk reaches through the tunnel (AllowedIPs besides the VPN range). */
    officeNetworks: env.get('RATUSZ_VPN_OFFICE_NETWORKS', ''),
  },
}

export default applianceConfig
