/*
 * Categories of the Local Taxes Act (art. 5), the Agricultural Tax Act and the
 * Forest Tax Act. The rate of each category for a tax year is data (fees_tax_rates,
 * from the council resolution); this list only names them and their units.
 */
export type TaxKind = 'property' | 'agricultural' | 'forest'
export type BaseUnit = 'm2' | 'ha' | 'ha_conv' | 'value'

export interface TaxCategory {
  tax: TaxKind
  code: string
  label: string
  unit: BaseUnit
}

export const TAX_CATEGORIES: readonly TaxCategory[] = [
  {
    tax: 'property',
    code: 'land_business',
    label: 'Grunty związane z działalnością gospodarczą',
    unit: 'm2',
  },
  { tax: 'property', code: 'land_water', label: 'Grunty pod wodami powierzchniowymi', unit: 'ha' },
  {
    tax: 'property',
    code: 'land_public_benefit',
    label: 'Grunty zajęte na działalność pożytku publicznego',
    unit: 'm2',
  },
  { tax: 'property', code: 'land_other', label: 'Grunty pozostałe', unit: 'm2' },
  {
    tax: 'property',
    code: 'building_residential',
    label: 'Budynki mieszkalne lub ich części',
    unit: 'm2',
  },
  {
    tax: 'property',
    code: 'building_business',
    label: 'Budynki związane z działalnością gospodarczą',
    unit: 'm2',
  },
  {
    tax: 'property',
    code: 'building_health',
    label: 'Budynki zajęte na świadczenia zdrowotne',
    unit: 'm2',
  },
  {
    tax: 'property',
    code: 'building_other',
    label: 'Budynki pozostałe (w tym garaże)',
    unit: 'm2',
  },
  { tax: 'property', code: 'structure', label: 'Budowle (2% wartości)', unit: 'value' },
  {
    tax: 'agricultural',
    code: 'agri_arable',
    label: 'Grunty gospodarstwa rolnego (ha przeliczeniowe)',
    unit: 'ha_conv',
  },
  {
    tax: 'agricultural',
    code: 'agri_other',
    label: 'Grunty rolne poza gospodarstwem (ha fizyczne)',
    unit: 'ha',
  },
  { tax: 'forest', code: 'forest', label: 'Lasy', unit: 'ha' },
  {
    tax: 'forest',
    code: 'forest_protected',
    label: 'Lasy w rezerwatach i parkach narodowych',
    unit: 'ha',
  },
]

export const TAX_LABELS: Record<TaxKind, string> = {
  property: 'Podatek od nieruchomości',
  agricultural: 'Podatek rolny',
  forest: 'Podatek leśny',
}

export const UNIT_LABELS: Record<BaseUnit, string> = {
  m2: 'm²',
  ha: 'ha',
  ha_conv: 'ha przel.',
  value: 'zł',
}

export function findCategory(code: string): TaxCategory | undefined {
  return TAX_CATEGORIES.find((category) => category.code === code)
}
