import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { sqlTimestamp } from '#core/services/db_time'

export type TokenPurpose = 'email_verification' | 'password_reset'
export type Realm = 'staff' | 'resident'

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Single-use, expiring tokens sent by e-mail. Only the SHA-256 of a token is
 * stored, so a database leak does not leak working links.
 */
export const accountTokens = {
  async issue(
    purpose: TokenPurpose,
    realm: Realm,
    accountId: number,
    ttlMinutes: number,
    trx?: TransactionClientContract
  ): Promise<string> {
    const token = randomBytes(32).toString('base64url')
    const client = trx ?? db
    /* A new link replaces older unused ones of the same kind. */
    await client
      .from('account_tokens')
      .where({ purpose, realm, account_id: accountId })
      .whereNull('used_at')
      .update({ used_at: sqlTimestamp() })
    await client.table('account_tokens').insert({
      purpose,
      realm,
      account_id: accountId,
      token_hash: digest(token),
      expires_at: sqlTimestamp(DateTime.now().plus({ minutes: ttlMinutes })),
      created_at: sqlTimestamp(),
    })
    return token
  },

  /** Returns the account id when the token is valid, unused and not expired; never twice. */
  async consume(
    purpose: TokenPurpose,
    realm: Realm,
    token: string,
    trx?: TransactionClientContract
  ): Promise<number | null> {
    const client = trx ?? db
    const row = await client
      .from('account_tokens')
      .where({ purpose, realm, token_hash: digest(token) })
      .whereNull('used_at')
      .first()
    if (!row || new Date(row.expires_at).getTime() < Date.now()) return null
    const updated = await client
      .from('account_tokens')
      .where('id', row.id)
      .whereNull('used_at')
      .update({ used_at: sqlTimestamp() })
    return Number(updated) === 1 ? Number(row.account_id) : null
  },

  /** Whether a token would be accepted, without using it (to show the form behind a link). */
  async isValid(purpose: TokenPurpose, realm: Realm, token: string): Promise<boolean> {
    const row = await db
      .from('account_tokens')
      .where({ purpose, realm, token_hash: digest(token) })
      .whereNull('used_at')
      .first()
    return Boolean(row && new Date(row.expires_at).getTime() >= Date.now())
  },
}
