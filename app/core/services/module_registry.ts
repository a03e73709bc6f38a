/**
 * What the modules add to the core, registered from their own files under start/ (the core
 * imports nothing from a module): their bouncer abilities and their sections of the staff menu
 * (with the dashboard's line about each). Same shape as the demo seeders (demo_registry.ts)
 * and the background tasks (background_tasks.ts).
 */

/** A bouncer ability as `Bouncer.ability(...)` returns it. */
type Ability = any

/**
 * Each module adds its abilities' types here by declaration merging, so that
 * `ctx.bouncer.authorize('viewTaxes')` is checked at compile time:
 *
 *   declare module '#core/services/module_registry' {
 *     interface ModuleAbilities extends FeesAbilities {}
 *   }
 */
export interface ModuleAbilities {}

export interface StaffMenuItem {
  href: string
  label: string
  /** Shown only to those allowed this ability (default: the section's). */
  ability?: string
}

export interface StaffMenuSection {
  module: string
  order: number
  title: string
  /** Who sees the section at all. */
  ability: string
  /** The first link; the others are pages of the section ("current" is the longest match). */
  items: StaffMenuItem[]
  /** One sentence for the staff dashboard's list of modules. */
  summary: string
}

class ModuleRegistry {
  readonly abilities: Record<string, Ability> = {}
  readonly staffMenu: StaffMenuSection[] = []

  registerAbilities(module: string, abilities: Record<string, Ability>) {
    for (const [name, ability] of Object.entries(abilities)) {
      if (Object.hasOwn(this.abilities, name))
        throw new Error(`module ${module}: the ability ${name} is registered already`)
      this.abilities[name] = ability
    }
  }

  registerStaffMenu(section: StaffMenuSection) {
    this.staffMenu.push(section)
    this.staffMenu.sort((a, b) => a.order - b.order)
  }

  /** The item of a section that a path belongs to: the longest href that starts it. */
  currentItem(section: StaffMenuSection, path: string): string | null {
    const bare = path.split('?')[0]
    let best: string | null = null
    for (const { href } of section.items) {
      if ((bare === href || bare.startsWith(`${href}/`)) && href.length > (best?.length ?? 0))
        best = href
    }
    return best
  }
}

export const moduleRegistry = new ModuleRegistry()
