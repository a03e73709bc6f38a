import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { checkIdentifier, IDENTIFIER_KINDS, isIdentifierKind } from '#core/services/identifiers'

/**
 * Checks a PESEL, NIP, REGON or bank account number (NRB) from the shell, e.g.
 * while cleaning imported registers. Exit code 0 means the check ran, whatever
 * its verdict; 2 means the command was called wrongly.
 */
export default class IdCheck extends BaseCommand {
  static commandName = 'id:check'
  static description = 'Check a PESEL, NIP, REGON or NRB (bank account) number'
  static help = [
    'Separators are ignored, so the value may be split into several arguments:',
    '  {{ binaryName }} id:check nip 123-456-32-18',
    '  {{ binaryName }} id:check nrb PL61 1090 1014 0000 0712 1981 2874 --json',
  ]
  static options: CommandOptions = { startApp: false }

  @args.string({
    description: `Kind of identifier: ${IDENTIFIER_KINDS.join(', ')}`,
    required: false,
  })
  declare kind?: string

  @args.spread({ description: 'The number to check', required: false })
  declare value?: string[]

  @flags.boolean({ description: 'Print one JSON object' })
  declare json?: boolean

  async run() {
    if (!isIdentifierKind(this.kind)) {
      return this.usageError(
        this.kind === undefined
          ? 'Missing identifier kind'
          : `Unknown identifier kind "${this.kind}"`
      )
    }
    const raw = (this.value ?? []).join('')
    if (raw.trim() === '') return this.usageError('Missing value to check')

    const { valid, reason, normalized, birthDate, sex } = checkIdentifier(this.kind, raw)
    if (this.json) {
      const output: Record<string, unknown> = { kind: this.kind, value: normalized, valid, reason }
      if (valid && birthDate) Object.assign(output, { birthDate, sex })
      this.logger.log(JSON.stringify(output))
      return
    }

    const label = `${this.kind.toUpperCase()} ${normalized}`
    if (!valid) {
      this.logger.log(`${label} is invalid: ${reason}`)
    } else if (birthDate) {
      this.logger.log(`${label} is valid (born ${birthDate}, ${sex === 'M' ? 'male' : 'female'})`)
    } else {
      this.logger.log(`${label} is valid`)
    }
  }

  private usageError(problem: string) {
    this.logger.logError(
      `${problem}. Usage: id:check <${IDENTIFIER_KINDS.join('|')}> <value> [--json]`
    )
    this.exitCode = 2
  }
}
