import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { SMTPServer } from 'smtp-server'
import testUtils from '@adonisjs/core/services/test_utils'
import mail from '@adonisjs/mail/services/main'
import env from '#start/env'
import StaffUser from '#core/models/staff_user'
import OutboxMessage from '#core/models/outbox_message'
import outbox, { MAX_ATTEMPTS } from '#core/services/outbox'
import { makeStaff, resetSharedState, withOffice } from '#tests/helpers'

interface Received {
  from: string | undefined
  to: string[]
  raw: string
}

/** A real SMTP server on the port from .env.test (SMTP_PORT=2526), collecting what it is given. */
class TestSmtpServer {
  readonly messages: Received[] = []
  #server: SMTPServer | null = null
  #restore: (() => Promise<void>) | null = null
  port = 0

  async start() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = []
        stream.on('data', (chunk: Buffer) => chunks.push(chunk))
        stream.on('end', () => {
          this.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          })
          callback()
        })
      },
    })
    const configured = env.get('SMTP_PORT', 2526)
    try {
      this.port = await this.#listen(configured)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
      /* Another test run on this machine holds the port: use a free one and point the mailer at it. */
      this.port = await this.#listen(0)
      const { SMTPTransport } = await import('@adonisjs/mail/transports/smtp')
      const mailers = mail.config.mailers as Record<string, () => any>
      const original = mailers.smtp
      mailers.smtp = () =>
        new SMTPTransport({ host: '127.0.0.1', port: this.port, secure: false, ignoreTLS: true })
      await mail.close('smtp')
      this.#restore = async () => {
        mailers.smtp = original
        await mail.close('smtp')
      }
    }
  }

  #listen(port: number) {
    return new Promise<number>((resolve, reject) => {
      const server = this.#server!
      /* SMTPServer re-emits socket errors on itself; without a listener they would crash the run. */
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        server.on('error', () => {})
        resolve((server.server.address() as { port: number }).port)
      })
    })
  }

  /** Stops listening; the mailer keeps pointing at the now closed port. */
  async stop() {
    if (!this.#server) return
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()))
    this.#server = null
  }

  async dispose() {
    await this.stop()
    await this.#restore?.()
    this.#restore = null
  }
}

/** Decodes RFC 2047 encoded words in a header ("=?UTF-8?Q?...?=", "=?UTF-8?B?...?="). */
function decodeWords(value: string) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (__, hex) =>
                String.fromCharCode(Number.parseInt(hex, 16))
              ),
            'latin1'
          ).toString('utf8')
    )
}

/** Enough of a MIME parser for one text/plain message from nodemailer. */
function parse(raw: string) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/)
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const index = line.indexOf(':')
    headers[line.slice(0, index).toLowerCase()] = decodeWords(line.slice(index + 1).trim())
  }
  let body = rest.join('\n\n')
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase()
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(Number.parseInt(hex, 16)))
    body = Buffer.from(bytes, 'latin1').toString('utf8')
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  }
  return { headers, body: body.replace(/\r\n/g, '\n') }
}

const LETTER = {
  to: 'zofia.dabrowska@example.pl',
  subject: 'Przypomnienie: rata podatku od nieruchomości',
  text: 'Szanowna Pani,\n\nprzypominamy, że termin płatności II raty podatku od nieruchomości mija 15 maja.\nKwota do zapłaty: 412,50 zł.\n\nZ poważaniem\nReferat Finansowy — Urząd Gminy Żółkiewka',
}

let keyCounter = 0
function letter(overrides: Partial<typeof LETTER & { idempotencyKey: string }> = {}) {
  return { ...LETTER, idempotencyKey: `test-outbox-${Date.now()}-${keyCounter++}`, ...overrides }
}

test.group('Outbox / SMTP delivery', (group) => {
  const smtp = new TestSmtpServer()
  let originalMode: Outbox['mode']

  group.setup(async () => {
    await smtp.start()
    return () => smtp.dispose()
  })
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    originalMode = outbox.mode
    outbox.mode = 'smtp'
    smtp.messages.length = 0
    return () => {
      outbox.mode = originalMode
    }
  })

  test('a queued e-mail reaches the SMTP server with recipient, subject and Polish text intact', async ({
    assert,
  }) => {
    const queued = await outbox.enqueueEmail(letter())
    /* The sync queue delivers at once; delivering again must not send twice. */
    const delivered = await outbox.deliver(queued.id)
    assert.equal(delivered?.status, 'sent')
    assert.lengthOf(smtp.messages, 1)

    const [received] = smtp.messages
    assert.deepEqual(received.to, ['zofia.dabrowska@example.pl'])
    assert.equal(received.from, env.get('MAIL_FROM_ADDRESS', 'ratusz@localhost'))
    const { headers, body } = parse(received.raw)
    assert.include(headers.to, 'zofia.dabrowska@example.pl')
    assert.equal(headers.subject, 'Przypomnienie: rata podatku od nieruchomości')
    assert.include(headers['content-type'], 'text/plain')
    assert.include(headers['content-type'].toLowerCase(), 'utf-8')
    assert.include(body, 'termin płatności II raty podatku od nieruchomości mija 15 maja.')
    assert.include(body, 'Kwota do zapłaty: 412,50 zł.')
    assert.include(body, 'Urząd Gminy Żółkiewka')

    const row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(row.status, 'sent')
    assert.equal(row.attempts, 1)
    assert.isNull(row.lastError)
    assert.isNotNull(row.sentAt)
    assert.isNotNull(row.providerId)
    assert.include(headers['message-id'] ?? '', row.providerId!.replace(/[<>]/g, ''))
  }).timeout(20_000)

  test('the same idempotency key twice gives one row and one e-mail', async ({ assert }) => {
    const first = await outbox.enqueueEmail(
      letter({ idempotencyKey: 'decyzja-podatkowa-2026-0042' })
    )
    const second = await outbox.enqueueEmail(
      letter({ idempotencyKey: 'decyzja-podatkowa-2026-0042', subject: 'Inny temat' })
    )
    assert.equal(second.id, first.id)
    const rows = await OutboxMessage.query().where('idempotency_key', 'decyzja-podatkowa-2026-0042')
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].subject, LETTER.subject)
    assert.lengthOf(smtp.messages, 1)
  }).timeout(20_000)

  test('with the server down: attempts 1, still pending, the error kept, a retry time in the future; failed after 5', async ({
    assert,
  }) => {
    await smtp.stop()
    const before = DateTime.now()
    const queued = await outbox.enqueueEmail(letter())
    let row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(row.attempts, 1)
    assert.equal(row.status, 'pending')
    assert.isNotNull(row.lastError)
    assert.match(row.lastError!, /ECONNREFUSED|connect/i)
    assert.isNotNull(row.nextAttemptAt)
    assert.isTrue(row.nextAttemptAt! > before, 'next attempt in the future')
    assert.isTrue(
      row.nextAttemptAt! <= DateTime.now().plus({ minutes: 1, seconds: 5 }),
      'first retry after about a minute'
    )

    /* Not due yet: the retry schedule leaves it alone. */
    assert.equal(await outbox.retryDue(), 0)
    row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(row.attempts, 1)

    /* Once due, the schedule retries it. */
    assert.equal(await outbox.retryDue(DateTime.now().plus({ minutes: 2 })), 1)
    row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(row.attempts, 2)
    assert.isTrue(row.nextAttemptAt! > DateTime.now().plus({ minutes: 4 }), 'back-off grows')

    for (let attempt = 3; attempt <= MAX_ATTEMPTS; attempt++) await outbox.deliver(queued.id)
    row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(MAX_ATTEMPTS, 5)
    assert.equal(row.attempts, 5)
    assert.equal(row.status, 'failed')
    assert.isNull(row.nextAttemptAt)
    assert.isNotNull(row.lastError)

    /* A failed message is not picked up again. */
    await outbox.deliver(queued.id)
    assert.equal(await outbox.retryDue(DateTime.now().plus({ days: 1 })), 0)
    row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(row.attempts, 5)
    assert.lengthOf(smtp.messages, 0)
  }).timeout(30_000)
})

test.group('Outbox / capture mode', (group) => {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await resetSharedState()
    await withOffice()
    const originalMode = outbox.mode
    outbox.mode = 'capture'
    return () => {
      outbox.mode = originalMode
    }
  })

  test('a captured message is kept, not sent, and the staff outbox shows it', async ({
    client,
    assert,
  }) => {
    const queued = await outbox.enqueueEmail(letter())
    const row = await OutboxMessage.findOrFail(queued.id)
    assert.equal(row.status, 'captured')
    assert.equal(row.attempts, 1)
    assert.isNull(row.sentAt)

    const admin = await StaffUser.findByOrFail('login', 'informatyk')
    const list = await client.get('/panel/admin/wiadomosci').signedIn('staff', admin)
    list.assertStatus(200)
    assert.include(list.text(), 'zofia.dabrowska@example.pl')
    assert.include(list.text(), 'Przypomnienie: rata podatku od nieruchomości')
    assert.include(list.text(), 'zatrzymana (tryb demo)')

    const filtered = await client
      .get('/panel/admin/wiadomosci?status=sent')
      .signedIn('staff', admin)
    assert.include(filtered.text(), 'Brak wiadomości.')

    const manager = await makeStaff('kierownik', ['manager'])
    const detail = await client
      .get(`/panel/admin/wiadomosci/${queued.id}`)
      .signedIn('staff', manager)
    detail.assertStatus(200)
    assert.include(detail.text(), 'Kwota do zapłaty: 412,50 zł.')

    const missing = await client.get('/panel/admin/wiadomosci/999999').signedIn('staff', admin)
    missing.assertStatus(404)
  })

  test('a clerk cannot read the outbox', async ({ client }) => {
    const queued = await outbox.enqueueEmail(letter())
    const clerk = await makeStaff('jkowalski', ['clerk'])
    const list = await client.get('/panel/admin/wiadomosci').signedIn('staff', clerk)
    list.assertStatus(403)
    const detail = await client.get(`/panel/admin/wiadomosci/${queued.id}`).signedIn('staff', clerk)
    detail.assertStatus(403)
  })
})

type Outbox = typeof outbox
