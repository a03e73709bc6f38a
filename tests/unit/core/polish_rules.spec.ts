import { test } from '@japa/runner'
import vine, { errors, SimpleMessagesProvider } from '@vinejs/vine'
import { nip, nrb, pesel, postalCode, regon, regonRule } from '#core/validators/polish_rules'

const applicantValidator = vine.compile(
  vine.object({
    pesel: pesel(),
    nip: nip().optional(),
    regon: regon().optional(),
    account: nrb().optional(),
    postal_code: postalCode(),
  })
)

type Messages = Array<{ field: string; rule: string; message: string }>

function validationMessages(data: Record<string, unknown>) {
  return messagesFor(() => applicantValidator.validate(data))
}

async function messagesFor(run: () => Promise<unknown>) {
  try {
    await run()
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) return error.messages as Messages
    throw error
  }
  throw new Error('Validation passed unexpectedly')
}

test.group('Polish validation rules', () => {
  test('accepts valid identifiers and stores them without separators', async ({ assert }) => {
    const output = await applicantValidator.validate({
      pesel: ' 440514 01359 ',
      nip: '123-456-32-18',
      regon: '123 456 785',
      account: 'PL61 1090 1014 0000 0712 1981 2874',
      postal_code: '00950',
    })
    assert.deepEqual(output, {
      pesel: '44051401359',
      nip: '1234563218',
      regon: '123456785',
      account: '61109010140000071219812874',
      postal_code: '00-950',
    })
  })

  test('reports a wrong PESEL check digit in Polish, naming the field', async ({ assert }) => {
    const messages = await validationMessages({ pesel: '44051401358', postal_code: '00-950' })
    assert.deepEqual(
      messages.map(({ field, rule }) => ({ field, rule })),
      [{ field: 'pesel', rule: 'pesel' }]
    )
    assert.equal(
      messages[0].message,
      'Pole „pesel” nie zawiera poprawnego numeru PESEL (błędna cyfra kontrolna).'
    )
  })

  test('explains why each identifier was refused', async ({ assert }) => {
    const messages = await validationMessages({
      pesel: '90023100014',
      nip: '123456321',
      regon: '12345678X',
      account: '61109010140000071219812875',
      postal_code: '009-50',
    })
    const byField = Object.fromEntries(messages.map((item) => [item.field, item.message]))
    assert.equal(
      byField.pesel,
      'Pole „pesel” nie zawiera poprawnego numeru PESEL (nieistniejąca data urodzenia).'
    )
    assert.equal(
      byField.nip,
      'Pole „nip” nie zawiera poprawnego numeru NIP (nieprawidłowa liczba cyfr).'
    )
    assert.equal(
      byField.regon,
      'Pole „regon” nie zawiera poprawnego numeru REGON (dozwolone są tylko cyfry).'
    )
    assert.equal(
      byField.account,
      'Pole „account” nie zawiera poprawnego numeru rachunku bankowego (błędna cyfra kontrolna).'
    )
    assert.include(byField.postal_code, 'Pole „postal_code” nie zawiera poprawnego kodu pocztowego')
    assert.include(byField.postal_code, 'NN-NNN')
  })

  test('uses the field label from the messages provider', async ({ assert }) => {
    const validator = vine.compile(vine.object({ nip: vine.string().trim().use(regonRule()) }))
    const messagesProvider = new SimpleMessagesProvider({}, { nip: 'REGON pracodawcy' })
    const messages = await messagesFor(() =>
      validator.validate({ nip: '123456784' }, { messagesProvider })
    )
    assert.equal(
      messages[0].message,
      'Pole „REGON pracodawcy” nie zawiera poprawnego numeru REGON (błędna cyfra kontrolna).'
    )
  })

  test('leaves type errors to vine.string()', async ({ assert }) => {
    const messages = await validationMessages({ pesel: 44051401359, postal_code: '00-950' })
    assert.lengthOf(messages, 1)
    assert.equal(messages[0].rule, 'string')
  })
})
