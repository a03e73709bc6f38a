/*
 * Periodic jobs (cron syntax). Modules register their schedules here; the
 * schedules are written to the queue's schedule table by `./ace scheduler:sync`
 * (run by the worker's start script) and fired by `./ace queue:work`.
 */
import { schedules } from '#core/services/scheduler'

schedules.register({
  id: 'core.outbox-retry',
  description: 'Retry outgoing messages that failed with a temporary error',
  cron: '*/5 * * * *',
  job: () => import('#core/jobs/retry_outbox_job'),
  payload: {},
})

schedules.register({
  id: 'core.prune-rate-limits',
  description: 'Remove expired login throttling entries and ended sign-in sessions',
  cron: '17 3 * * *',
  job: () => import('#core/jobs/prune_rate_limits_job'),
  payload: {},
})

schedules.register({
  id: 'appliance.backup-alert',
  description: 'E-mail the administrator once a day when no backup succeeded for 26 hours',
  cron: '41 * * * *',
  job: () => import('#appliance/jobs/backup_alert_job'),
  payload: {},
})

schedules.register({
  id: 'appliance.vpn-expiry',
  description:
    'Drop VPN devices past their expiry date from the peers file (no change: no rewrite)',
  cron: '3 * * * *',
  job: () => import('#appliance/jobs/vpn_expiry_job'),
  payload: {},
})
