/** "12345678901234567890123456" → "12 3456 7890 1234 5678 9012 3456" (how banks print an NRB). */
export function formatNrb(nrb: string | null | undefined): string {
  const digits = (nrb ?? '').replace(/\D/g, '')
  if (digits.length !== 26) return nrb ?? ''
  return [digits.slice(0, 2), ...digits.slice(2).match(/.{4}/g)!].join(' ')
}

/** Dates for people: "23.11.2026", or with time "23.11.2026, 14:05" in Warsaw time. */
export function formatDate(
  value: Date | string | { toJSDate(): Date } | null | undefined,
  withTime = false
): string {
  if (!value) return ''
  const date =
    typeof value === 'string' ? new Date(value) : value instanceof Date ? value : value.toJSDate()
  return new Intl.DateTimeFormat('pl-PL', {
    timeZone: 'Europe/Warsaw',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date)
}
