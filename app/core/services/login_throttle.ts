import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors } from '@adonisjs/limiter'

/*
 * Failed logins are counted per account and per address in the database store,
 * so the counts survive restarts and are shared by every process.
 */
const BLOCK_FOR = '15 mins'
const perAccount = () => limiter.use({ requests: 5, duration: '15 mins', blockDuration: BLOCK_FOR })
const perAddress = () =>
  limiter.use({ requests: 30, duration: '15 mins', blockDuration: BLOCK_FOR })

export interface ThrottleState {
  blocked: boolean
  retryAfterSeconds: number
}

export class LoginThrottle {
  constructor(private readonly scope: string) {}

  #keys(account: string, ip: string) {
    return {
      account: `${this.scope}:acct:${account.trim().toLowerCase()}`,
      address: `${this.scope}:ip:${ip}`,
    }
  }

  async check(account: string, ip: string): Promise<ThrottleState> {
    const keys = this.#keys(account, ip)
    for (const [key, use] of [
      [keys.account, perAccount],
      [keys.address, perAddress],
    ] as const) {
      const l = use()
      if (await l.isBlocked(key))
        return { blocked: true, retryAfterSeconds: await l.availableIn(key) }
    }
    return { blocked: false, retryAfterSeconds: 0 }
  }

  /** Counts a failure; returns the state after it (blocked once a limit is crossed). */
  async fail(account: string, ip: string): Promise<ThrottleState> {
    const keys = this.#keys(account, ip)
    let state: ThrottleState = { blocked: false, retryAfterSeconds: 0 }
    for (const [key, use] of [
      [keys.account, perAccount],
      [keys.address, perAddress],
    ] as const) {
      const l = use()
      try {
        const response = await l.consume(key)
        /* The failure that uses up the allowance locks at once, not one attempt later. */
        if (response.remaining <= 0) {
          await l.block(key, BLOCK_FOR)
          state = { blocked: true, retryAfterSeconds: await l.availableIn(key) }
        }
      } catch (error) {
        /* Only the limit itself means blocked; a database error is not a reason to lock anyone out. */
        if (!(error instanceof limiterErrors.E_TOO_MANY_REQUESTS)) throw error
        state = { blocked: true, retryAfterSeconds: await l.availableIn(key) }
      }
    }
    return state
  }

  async succeed(account: string) {
    await perAccount().delete(this.#keys(account, '').account)
  }
}

export function throttleMessage(state: ThrottleState): string {
  const minutes = Math.max(1, Math.ceil(state.retryAfterSeconds / 60))
  return `Zbyt wiele nieudanych prób logowania. Ze względów bezpieczeństwa logowanie jest wstrzymane na ${minutes} min. Spróbuj ponownie później.`
}
