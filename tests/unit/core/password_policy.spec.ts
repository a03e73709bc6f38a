import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import { PASSWORD_MAX, PASSWORD_MIN, passwordProblem } from '#core/services/password_policy'
import { newPasswordValidator, residentRegisterValidator } from '#core/validators/auth_validators'

test.group('Password policy / length', () => {
  test('needs at least 8 characters, counted as characters and not bytes', ({ assert }) => {
    assert.equal(PASSWORD_MIN, 8)
    assert.equal(
      passwordProblem('żółw7ka'),
      'Hasło musi mieć co najmniej 8 znaków (zalecamy 15 lub więcej).'
    )
    assert.isNull(passwordProblem('żółwiczk'))
    assert.isNull(passwordProblem('kot w butach'))
    assert.include(passwordProblem('') ?? '', 'co najmniej 8 znaków')
  })

  test('no composition rules: lower-case words or digits alone are fine', ({ assert }) => {
    assert.isNull(passwordProblem('rzeka wisła płynie przez kraków'))
    assert.isNull(passwordProblem('48213975016'))
    assert.isNull(passwordProblem('BARDZODŁUGIEHASŁO'))
  })

  test('accepts 64 characters and more, up to 128, and refuses 129', ({ assert }) => {
    assert.equal(PASSWORD_MAX, 128)
    const words = 'Zażółć gęślą jaźń, pchnąć w tę łódź jeża lub ośm skrzyń fig. '
    const make = (length: number) => words.repeat(4).slice(0, length)
    assert.lengthOf(make(64), 64)
    assert.isNull(passwordProblem(make(64)))
    assert.isNull(passwordProblem(make(100)))
    assert.isNull(passwordProblem(make(128)))
    assert.equal(passwordProblem(make(129)), 'Hasło może mieć najwyżej 128 znaków.')
  })

  test('the form validators accept 128 characters and refuse 7', async ({ assert }) => {
    const long = 'ą'.repeat(60) + 'x'.repeat(68)
    const valid = await newPasswordValidator.validate({
      password: long,
      password_confirmation: long,
    })
    assert.equal(valid.password, long, 'the password must reach the hasher unchanged')
    await assert.rejects(() =>
      newPasswordValidator.validate({ password: 'krótkie', password_confirmation: 'krótkie' })
    )
    await assert.rejects(() =>
      residentRegisterValidator.validate({
        fullName: 'Anna Nowak',
        email: 'anna@example.pl',
        password: 'x'.repeat(129),
        password_confirmation: 'x'.repeat(129),
        consent: 'on',
      })
    )
  })
})

test.group('Password policy / no truncation', () => {
  test('two 100-character passwords differing only in the last character hash differently', async ({
    assert,
  }) => {
    const base =
      'Ścieżka rowerowa z Gniezna do Poznania ma sześćdziesiąt kilometrów i prowadzi przez pola i lasy '
    const first = (base + 'abcdefgh').slice(0, 99) + 'A'
    const second = (base + 'abcdefgh').slice(0, 99) + 'B'
    assert.lengthOf([...first], 100)
    assert.isAbove(Buffer.byteLength(first), 100)
    assert.isNull(passwordProblem(first))

    const stored = await hash.make(first)
    assert.isTrue(stored.startsWith('$argon2id$'))
    assert.isTrue(await hash.verify(stored, first))
    assert.isFalse(await hash.verify(stored, second))
    assert.isFalse(await hash.verify(stored, first.slice(0, 99)))
  }).timeout(30_000)
})

test.group('Password policy / common and personal passwords', () => {
  test('refuses passwords from the common and breached list, whatever the case', ({ assert }) => {
    const message =
      'To hasło jest zbyt popularne i znajduje się na liście haseł, które wyciekły. Wybierz inne.'
    for (const password of [
      'qwerty123',
      'QWERTY123',
      '12345678',
      'haslo123',
      'Polska123',
      '1qaz2wsx',
    ]) {
      assert.equal(passwordProblem(password), message, password)
    }
  })

  test('refuses a password containing the login or the e-mail name', ({ assert }) => {
    const message = 'Hasło nie może zawierać Twojego loginu ani adresu e-mail.'
    assert.equal(passwordProblem('jkowalski2026!', ['jkowalski']), message)
    assert.equal(passwordProblem('moje JKowalski hasło', ['jkowalski']), message)
    assert.equal(passwordProblem('anna.nowak-zima', ['anna.nowak']), message)
    /* Context words shorter than 3 characters are ignored, so they cannot block every password. */
    assert.isNull(passwordProblem('zielona łąka nad Wisłą', ['', 'ab']))
    assert.isNull(passwordProblem('zielona łąka nad Wisłą', ['jkowalski']))
  })
})
