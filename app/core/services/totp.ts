import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import encryption from '@adonisjs/core/services/encryption'

const PERIOD = 30

/**
 * RFC 6238 codes (30 s, 6 digits, SHA-1: what every authenticator app does).
 * Secrets are stored encrypted with the app key; a code is accepted once.
 */
export class TotpService {
  newSecret(): string {
    return new Secret({ size: 20 }).base32
  }

  encrypt(secretBase32: string): string {
    return encryption.encrypt(secretBase32)
  }

  decrypt(stored: string): string | null {
    return encryption.decrypt<string>(stored)
  }

  #totp(secretBase32: string, label = '') {
    return new TOTP({
      issuer: 'Ratusz',
      label,
      algorithm: 'SHA1',
      digits: 6,
      period: PERIOD,
      secret: Secret.fromBase32(secretBase32),
    })
  }

  uri(secretBase32: string, label: string): string {
    return this.#totp(secretBase32, label).toString()
  }

  async qrDataUrl(secretBase32: string, label: string): Promise<string> {
    return QRCode.toDataURL(this.uri(secretBase32, label), { margin: 1, width: 220 })
  }

  /**
   * Returns the time step the code belongs to, or null. A step not greater than
   * lastStep was already used and is refused (replay).
   */
  verify(
    secretBase32: string,
    code: string,
    lastStep: number | null,
    now = Date.now()
  ): number | null {
    const clean = code.replace(/\s+/g, '')
    if (!/^\d{6}$/.test(clean)) return null
    const delta = this.#totp(secretBase32).validate({ token: clean, timestamp: now, window: 1 })
    if (delta === null) return null
    const step = Math.floor(now / 1000 / PERIOD) + delta
    if (lastStep !== null && step <= lastStep) return null
    return step
  }

  generate(secretBase32: string, now = Date.now()): string {
    return this.#totp(secretBase32).generate({ timestamp: now })
  }
}

const totp = new TotpService()
export default totp
