/**
 * The office's e-services shown as tiles on the home page. Modules add their
 * entry here when they register; a tile without a route yet is shown as
 * "wkrótce" so residents know what is coming.
 */
export interface ServiceTile {
  key: string
  title: string
  description: string
  href: string | null
}

const tiles: ServiceTile[] = [
  {
    key: 'ebok',
    title: 'e-BOK: moje konto',
    description: 'Załóż konto lub zaloguj się, aby załatwiać sprawy przez internet.',
    href: '/konto',
  },
  {
    key: 'fees',
    title: 'Podatki i opłaty',
    description: 'Sprawdź swoje podatki, raty, zaległości i odsetki oraz dane do przelewu.',
    href: null,
  },
  {
    key: 'interest-calculator',
    title: 'Kalkulator odsetek',
    description: 'Policz odsetki za zwłokę od zaległego podatku lub opłaty na dzień zapłaty.',
    href: null,
  },
  {
    key: 'payments',
    title: 'Płatności',
    description: 'Zapłać podatek lub opłatę przelewem lub online.',
    href: null,
  },
  {
    key: 'booking',
    title: 'Umów wizytę',
    description: 'Zarezerwuj termin wizyty w urzędzie bez czekania w kolejce.',
    href: null,
  },
  {
    key: 'documents',
    title: 'Pisma i wnioski',
    description: 'Złóż pismo lub wniosek i śledź, co się z nim dzieje.',
    href: null,
  },
  {
    key: 'alerts',
    title: 'Powiadomienia SMS',
    description: 'Otrzymuj komunikaty o drogach, odpadach i zagrożeniach.',
    href: null,
  },
  {
    key: 'waste',
    title: 'Harmonogram odpadów',
    description: 'Sprawdź terminy odbioru odpadów w swojej miejscowości.',
    href: null,
  },
  {
    key: 'meetings',
    title: 'Spotkania online',
    description: 'Dołącz do spotkania z urzędnikiem lub sesji rady gminy.',
    href: null,
  },
]

export const serviceCatalogue = {
  list(): readonly ServiceTile[] {
    return tiles
  },
  /** Called by a module's routes file to make its tile live. */
  enable(key: string, href: string) {
    const tile = tiles.find((entry) => entry.key === key)
    if (tile) tile.href = href
  },
}
