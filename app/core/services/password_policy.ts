import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

export const PASSWORD_MIN = 8
export const PASSWORD_SUGGESTED = 15
export const PASSWORD_MAX = 128

let common: Set<string> | null = null

function commonPasswords(): Set<string> {
  if (!common) {
    const text = readFileSync(app.makePath('resources/data/common_passwords.txt'), 'utf8')
    common = new Set(text.split('\n').filter((line) => line && !line.startsWith('#')))
  }
  return common
}

/**
 * ASVS 5.0 password rules: length only (no composition rules), nothing
 * truncated, common and breached passwords refused. Returns a Polish message
 * or null when the password is acceptable.
 */
export function passwordProblem(password: string, context: string[] = []): string | null {
  const length = [...password].length
  if (length < PASSWORD_MIN)
    return `Hasło musi mieć co najmniej ${PASSWORD_MIN} znaków (zalecamy ${PASSWORD_SUGGESTED} lub więcej).`
  if (length > PASSWORD_MAX) return `Hasło może mieć najwyżej ${PASSWORD_MAX} znaków.`
  const lower = password.toLowerCase()
  if (commonPasswords().has(lower))
    return 'To hasło jest zbyt popularne i znajduje się na liście haseł, które wyciekły. Wybierz inne.'
  if (context.some((word) => word && word.length >= 3 && lower.includes(word.toLowerCase()))) {
    return 'Hasło nie może zawierać Twojego loginu ani adresu e-mail.'
  }
  return null
}

/**
 * Checks a password change: the current password must be right and the new
 * one acceptable. Returns field errors for the form, or null.
 */
export async function passwordChangeErrors(
  currentHash: string,
  input: { current_password: string; password: string },
  context: string[]
): Promise<Record<string, string[]> | null> {
  const { default: hash } = await import('@adonisjs/core/services/hash')
  if (!(await hash.verify(currentHash, input.current_password))) {
    return { current_password: ['Obecne hasło jest nieprawidłowe.'] }
  }
  const problem = passwordProblem(input.password, context)
  return problem ? { password: [problem] } : null
}
