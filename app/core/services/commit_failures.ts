import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import logger from '@adonisjs/core/services/logger'
import ratuszConfig from '#config/ratusz'
import applianceConfig from '#config/appliance'
import { commitHealth, type CommitFailure } from '#core/services/durable_commit'

/** RATUSZ_DATA/commit-failures.json: the last episode of failed commits, for `ratusz doctor`. */
export const COMMIT_FAILURES_FILE = 'commit-failures.json'

export interface CommitFailureEpisode {
  firstAt: string
  lastAt: string
  count: number
  reason: string
  message: string
  recoveredAt: string | null
}

let episode: CommitFailureEpisode | null = null

async function save(body: CommitFailureEpisode) {
  const path = join(ratuszConfig.dataDir, COMMIT_FAILURES_FILE)
  const temporary = `${path}.${process.pid}.tmp`
  try {
    await writeFile(temporary, JSON.stringify(body), { mode: 0o640 })
    await rename(temporary, path)
  } catch {
    /* A full disk refuses this file too: the doctor's disk check and the log say it then. */
  }
}

export async function readCommitFailures(): Promise<CommitFailureEpisode | null> {
  try {
    return JSON.parse(await readFile(join(ratuszConfig.dataDir, COMMIT_FAILURES_FILE), 'utf8'))
  } catch {
    return null
  }
}

function onFailure(failure: CommitFailure) {
  const at = new Date(failure.at).toISOString()
  if (!episode || episode.recoveredAt) {
    episode = {
      firstAt: at,
      lastAt: at,
      count: 0,
      reason: failure.reason,
      message: failure.message,
      recoveredAt: null,
    }
  }
  episode.lastAt = at
  episode.count++
  episode.reason = failure.reason
  episode.message = failure.message
  logger.error({ reason: failure.reason }, `${failure.message}; the transaction was rolled back`)
  void save(episode)
}

/* The database takes writes again: say so in the file and mail the administrator, once per episode. */
async function onRecovery() {
  if (!episode) return
  episode.recoveredAt = new Date().toISOString()
  const done = { ...episode }
  await save(done)
  logger.warn({ reason: done.reason, failed: done.count }, 'database commits succeed again')
  if (!applianceConfig.adminEmail) return
  try {
    const { default: outbox } = await import('#core/services/outbox')
    await outbox.enqueueEmail({
      to: applianceConfig.adminEmail,
      subject: `Ratusz: baza danych odrzucała zapisy (${done.reason})`,
      text: `Od ${done.firstAt} do ${done.lastAt} baza danych nie zatwierdziła ${done.count} transakcji (przyczyna: ${done.reason}).\n${done.message}\n\nUżytkownicy zobaczyli komunikat, że nic nie zostało zapisane; zapisy znów działają od ${done.recoveredAt}.\nSprawdź wolne miejsce na dysku z danymi i uruchom: ratusz doctor`,
      idempotencyKey: `core.commit-failed.${done.firstAt}`,
    })
  } catch (error) {
    logger.error({ err: error }, 'could not queue the commit failure alert')
  }
}

/** Once per process (web server, worker): record, log and report failed commits. */
export function watchCommitFailures() {
  commitHealth.onFailure(onFailure)
  commitHealth.onRecovery(() => void onRecovery())
}
