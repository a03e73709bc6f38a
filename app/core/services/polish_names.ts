/*
 * Common Polish surnames (masculine form) and first names: the demo data of
 * every module and the benchmark data set draw their people from here.
 */
export const SURNAMES = [
  'Nowak',
  'Kowalski',
  'Wiśniewski',
  'Wójcik',
  'Kowalczyk',
  'Kamiński',
  'Lewandowski',
  'Zieliński',
  'Szymański',
  'Woźniak',
  'Dąbrowski',
  'Kozłowski',
  'Jankowski',
  'Mazur',
  'Kwiatkowski',
  'Krawczyk',
  'Piotrowski',
  'Grabowski',
  'Nowakowski',
  'Pawłowski',
  'Michalski',
  'Król',
  'Wieczorek',
  'Jabłoński',
  'Wróbel',
  'Majewski',
  'Olszewski',
  'Stępień',
  'Malinowski',
  'Jaworski',
] as const

export const MALE_NAMES = [
  'Jan',
  'Piotr',
  'Krzysztof',
  'Andrzej',
  'Tomasz',
  'Paweł',
  'Michał',
  'Marek',
  'Grzegorz',
  'Józef',
] as const

export const FEMALE_NAMES = [
  'Anna',
  'Katarzyna',
  'Małgorzata',
  'Agnieszka',
  'Barbara',
  'Ewa',
  'Zofia',
  'Joanna',
  'Magdalena',
  'Elżbieta',
] as const

/** First names alternating man, woman: Jan, Anna, Piotr, Katarzyna… */
export const FIRST_NAMES: readonly string[] = MALE_NAMES.flatMap((name, index) => [
  name,
  FEMALE_NAMES[index],
])

/** The feminine form of a surname: Kowalski → Kowalska, Nowak stays Nowak. */
export function feminine(surname: string): string {
  return /(?:ski|cki|dzki)$/.test(surname) ? surname.slice(0, -1) + 'a' : surname
}
