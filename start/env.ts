/*
 * Environment variables are validated at start so that a wrong configuration
 * stops the process with a clear message instead of failing later.
 */
import { Env } from '@adonisjs/core/env'

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  PORT: Env.schema.number.optional(),
  HOST: Env.schema.string.optional({ format: 'host' }),
  APP_KEY: Env.schema.secret(),
  APP_URL: Env.schema.string.optional(),
  LOG_LEVEL: Env.schema.enum.optional([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),

  RATUSZ_DATA: Env.schema.string.optional(),
  RATUSZ_DEMO: Env.schema.boolean.optional(),
  STAFF_NETWORKS: Env.schema.string.optional(),
  TRUSTED_PROXIES: Env.schema.string.optional(),
  TLS: Env.schema.boolean.optional(),

  DB_CONNECTION: Env.schema.enum.optional(['sqlite', 'pg'] as const),
  PG_HOST: Env.schema.string.optional({ format: 'host' }),
  PG_PORT: Env.schema.number.optional(),
  PG_USER: Env.schema.string.optional(),
  PG_PASSWORD: Env.schema.string.optional(),
  PG_DB_NAME: Env.schema.string.optional(),

  SESSION_DRIVER: Env.schema.enum.optional(['cookie', 'memory', 'database'] as const),
  LIMITER_STORE: Env.schema.enum.optional(['database', 'memory'] as const),
  QUEUE_DRIVER: Env.schema.enum.optional(['database', 'sync'] as const),

  MAIL_MODE: Env.schema.enum.optional(['capture', 'smtp'] as const),
  MAIL_FROM_ADDRESS: Env.schema.string.optional(),
  MAIL_FROM_NAME: Env.schema.string.optional(),
  SMTP_HOST: Env.schema.string.optional({ format: 'host' }),
  SMTP_PORT: Env.schema.number.optional(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.string.optional(),
  SMTP_SECURE: Env.schema.boolean.optional(),

  /* Appliance: backups (restic), VPN (WireGuard), administrator contact. */
  RATUSZ_ADMIN_EMAIL: Env.schema.string.optional(),
  RATUSZ_HOSTNAME: Env.schema.string.optional(),
  RATUSZ_BACKUP_DIR: Env.schema.string.optional(),
  RATUSZ_BACKUP_REPOSITORY: Env.schema.string.optional(),
  RATUSZ_BACKUP_PASSWORD_FILE: Env.schema.string.optional(),
  RATUSZ_BACKUP_PARTNER_REPOSITORY: Env.schema.string.optional(),
  RATUSZ_BACKUP_PARTNER_PASSWORD_FILE: Env.schema.string.optional(),
  RATUSZ_BACKUP_KEEP_DAILY: Env.schema.number.optional(),
  RATUSZ_BACKUP_KEEP_WEEKLY: Env.schema.number.optional(),
  RATUSZ_BACKUP_KEEP_MONTHLY: Env.schema.number.optional(),
  RATUSZ_BACKUP_MAX_AGE_HOURS: Env.schema.number.optional(),
  RESTIC_CACHE_DIR: Env.schema.string.optional(),
  RATUSZ_ENV_FILE: Env.schema.string.optional(),
  RATUSZ_WG_IFACE: Env.schema.string.optional(),
  RATUSZ_VPN_RANGE: Env.schema.string.optional(),
  RATUSZ_VPN_PORT: Env.schema.number.optional(),
  RATUSZ_VPN_ENDPOINT: Env.schema.string.optional(),
  RATUSZ_VPN_SERVER_KEY_FILE: Env.schema.string.optional(),
  RATUSZ_VPN_PEERS_FILE: Env.schema.string.optional(),
  RATUSZ_VPN_OFFICE_NETWORKS: Env.schema.string.optional(),
})
