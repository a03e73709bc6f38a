import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Resident from '#core/models/resident'
import outbox from '#core/services/outbox'
import auditLog, { type AuditActor } from '#core/services/audit_log'
import { accountTokens } from '#core/services/account_tokens'
import { sessionRegistry } from '#core/services/session_registry'
import officeProfileService from '#core/services/office_profile_service'

const VERIFY_TTL_MIN = 48 * 60
const RESET_TTL_MIN = 60

function baseUrl(): string {
  return (env.get('APP_URL') ?? `http://localhost:${env.get('PORT', 3333)}`).replace(/\/$/, '')
}

async function officeName(): Promise<string> {
  const profile = await officeProfileService.get()
  return profile?.name ?? 'Urząd'
}

/** A fresh verification link (older ones stop working), sent through the outbox. */
async function sendVerification(
  resident: Resident,
  office: string,
  trx?: TransactionClientContract
) {
  const token = await accountTokens.issue(
    'email_verification',
    'resident',
    resident.id,
    VERIFY_TTL_MIN,
    trx
  )
  await outbox.enqueueEmail(
    {
      to: resident.email,
      subject: `${office}: potwierdź adres e-mail`,
      text: `Dzień dobry,\n\naby aktywować konto w e-BOK, otwórz łącze (ważne 48 godzin):\n${baseUrl()}/konto/weryfikacja/${token}\n\nJeśli to nie Ty zakładałeś konto, zignoruj tę wiadomość.`,
      idempotencyKey: `resident-verify:${resident.id}:${token.slice(0, 12)}`,
      related: { type: 'account_token', id: resident.id },
    },
    trx
  )
}

function actorFor(resident: Resident): AuditActor {
  return { realm: 'resident', id: resident.id, label: resident.email }
}

/**
 * e-BOK accounts: registration with e-mail verification and password reset.
 * Answers never reveal whether an address has an account.
 */
export const residentAccounts = {
  async register(
    input: { fullName: string; email: string; password: string },
    ip: string
  ): Promise<void> {
    const email = input.email.trim().toLowerCase()
    const existing = await Resident.findBy('email', email)
    if (existing) {
      await outbox.enqueueEmail({
        to: email,
        subject: `${await officeName()}: próba ponownej rejestracji`,
        text: `Ktoś (być może Ty) próbował założyć konto e-BOK na ten adres, ale konto już istnieje.\n\nJeśli nie pamiętasz hasła, ustaw nowe: ${baseUrl()}/konto/przypomnij-haslo\n\nJeśli to nie Ty, zignoruj tę wiadomość.`,
        idempotencyKey: `resident-reregister:${existing.id}:${DateTime.now().toFormat('yyyyLLddHH')}`,
        related: { type: 'resident', id: existing.id },
      })
      return
    }
    /* Read before the transaction: SQLite has one connection, held by the transaction. */
    const office = await officeName()
    await db.transaction(async (trx) => {
      const resident = await Resident.create(
        { email, fullName: input.fullName, password: input.password, isActive: true },
        { client: trx }
      )
      await sendVerification(resident, office, trx)
      await auditLog.record(
        {
          actor: actorFor(resident),
          ip,
          action: 'resident.registered',
          subjectType: 'resident',
          subjectId: resident.id,
        },
        trx
      )
    })
  },

  async resendVerification(resident: Resident): Promise<void> {
    await sendVerification(resident, await officeName())
  },

  async verify(token: string, ip: string): Promise<Resident | null> {
    return db.transaction(async (trx) => {
      const id = await accountTokens.consume('email_verification', 'resident', token, trx)
      if (id === null) return null
      const resident = await Resident.findOrFail(id, { client: trx })
      resident.emailVerifiedAt = DateTime.now()
      await resident.save()
      await auditLog.record(
        {
          actor: actorFor(resident),
          ip,
          action: 'resident.email_verified',
          subjectType: 'resident',
          subjectId: resident.id,
        },
        trx
      )
      return resident
    })
  },

  async sendReset(emailInput: string, ip: string): Promise<void> {
    const resident = await Resident.findBy('email', emailInput.trim().toLowerCase())
    if (!resident || !resident.isActive) return
    const token = await accountTokens.issue(
      'password_reset',
      'resident',
      resident.id,
      RESET_TTL_MIN
    )
    await outbox.enqueueEmail({
      to: resident.email,
      subject: `${await officeName()}: ustaw nowe hasło`,
      text: `Dzień dobry,\n\naby ustawić nowe hasło do e-BOK, otwórz łącze (ważne 60 minut, działa raz):\n${baseUrl()}/konto/nowe-haslo/${token}\n\nJeśli to nie Ty prosiłeś o zmianę hasła, zignoruj tę wiadomość — hasło pozostanie bez zmian.`,
      idempotencyKey: `resident-reset:${resident.id}:${token.slice(0, 12)}`,
      related: { type: 'account_token', id: resident.id },
    })
    await auditLog.record({
      actor: actorFor(resident),
      ip,
      action: 'resident.password_reset_requested',
      subjectType: 'resident',
      subjectId: resident.id,
    })
  },

  async reset(token: string, password: string, ip: string): Promise<Resident | null> {
    return db.transaction(async (trx) => {
      const id = await accountTokens.consume('password_reset', 'resident', token, trx)
      if (id === null) return null
      const resident = await Resident.findOrFail(id, { client: trx })
      resident.password = password
      /* Following a link from the mailbox also proves the address. */
      resident.emailVerifiedAt ??= DateTime.now()
      await resident.save()
      await auditLog.record(
        {
          actor: actorFor(resident),
          ip,
          action: 'resident.password_reset',
          subjectType: 'resident',
          subjectId: resident.id,
        },
        trx
      )
      /* Whoever signed in with the old password is out. */
      await sessionRegistry.endAll('resident', resident.id, trx)
      return resident
    })
  },
}
