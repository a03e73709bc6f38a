import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Taxes and local fees: the register, assessments with their calculation basis,
 * installments and the ledger. Calendar dates are 'YYYY-MM-DD' strings (they sort
 * and compare as text on both engines and never meet a time zone); money is
 * integer grosze; quantities and rates are integers scaled by 10^4 (base_e4,
 * rate_e4) so no floating point reaches a decision.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('fees_taxpayers', (table) => {
      table.increments('id')
      /* individual (PESEL), business (NIP/REGON), joint (spouses, co-owners: members below) */
      table.string('kind', 20).notNullable()
      table.string('name', 200).notNullable()
      /* Lower-case "surname first" form without diacritics, for prefix search. */
      table.string('search_name', 200).notNullable().index()
      table.string('pesel', 11).nullable().index()
      table.string('nip', 10).nullable().index()
      table.string('regon', 14).nullable()
      table.string('street', 200).nullable()
      table.string('postal_code', 6).nullable()
      table.string('city', 100).nullable()
      table.string('email', 254).nullable()
      table.string('phone', 30).nullable()
      /* Individual (virtual) account number: every transfer to it names its payer. */
      table.string('account_number', 26).notNullable().unique()
      /* Printed on the decision; a resident enters it to link the e-BOK account. Encrypted, not hashed, so it can be reprinted. */
      table.text('access_code').nullable()
      table.string('access_code_digest', 64).nullable().unique()
      table.text('notes').nullable()
      table.string('external_id', 60).nullable().unique()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    /* Members of a joint taxpayer: each is jointly liable for the whole (Tax Ordinance art. 91–92). */
    this.schema.createTable('fees_taxpayer_members', (table) => {
      table.increments('id')
      table
        .integer('joint_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table
        .integer('member_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table.unique(['joint_id', 'member_id'])
      table.index(['member_id'])
    })

    /* Resident e-BOK accounts that may see a taxpayer's liabilities. */
    this.schema.createTable('fees_taxpayer_links', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table
        .integer('resident_id')
        .unsigned()
        .notNullable()
        .references('residents.id')
        .onDelete('CASCADE')
      /* 'code' when the resident entered the access code, 'clerk' after an identity check at the office */
      table.string('method', 10).notNullable()
      table.integer('linked_by_staff_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.unique(['taxpayer_id', 'resident_id'])
      table.index(['resident_id'])
    })

    /* Rates of the council resolution (uchwała) per tax year and category. */
    this.schema.createTable('fees_tax_rates', (table) => {
      table.increments('id')
      table.integer('year').notNullable()
      /* property | agricultural | forest | transport */
      table.string('tax', 20).notNullable()
      table.string('category', 40).notNullable()
      table.string('label', 200).notNullable()
      /* m2 | ha | ha_conv | value | unit */
      table.string('unit', 10).notNullable()
      /* złoty per unit × 10^4; for value-based bases the rate as a fraction × 10^4 (2 % = 200) */
      table.bigInteger('rate_e4').notNullable()
      table.string('resolution', 200).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['year', 'tax', 'category'])
    })

    /* Land, buildings, structures, agricultural land and forest a taxpayer holds. */
    this.schema.createTable('fees_tax_objects', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table.string('tax', 20).notNullable()
      table.string('category', 40).notNullable()
      table.string('description', 200).notNullable()
      /* plot number and precinct or address */
      table.string('location', 200).nullable()
      /* area in m² or ha (conversion ha for agricultural land), or value in złoty, × 10^4 */
      table.bigInteger('base_e4').notNullable()
      /* physical area of agricultural land, ha × 10^4, and its class, for the calculation basis */
      table.bigInteger('physical_area_e4').nullable()
      table.string('land_class', 20).nullable()
      table.string('valid_from', 10).notNullable()
      table.string('valid_to', 10).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['taxpayer_id'])
    })

    /* Other fees the administrator defines (dog fee, market fee …). */
    this.schema.createTable('fees_fee_types', (table) => {
      table.increments('id')
      table.string('code', 40).notNullable().unique()
      table.string('name', 200).notNullable()
      /* fixed: amount per year; per_unit: amount × units (e.g. per dog, per m² of stall) */
      table.string('amount_rule', 20).notNullable()
      table.integer('amount_gr').notNullable()
      table.string('unit_label', 40).nullable()
      /* once:MM-DD | quarterly | monthly:DD | property (the four statutory dates) */
      table.string('schedule', 40).notNullable()
      /* none | zloty */
      table.string('rounding', 10).notNullable()
      table.boolean('is_active').notNullable().defaultTo(true)
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    /* Waste-fee method and rates per period, from the council resolution. */
    this.schema.createTable('fees_waste_rates', (table) => {
      table.increments('id')
      table.string('valid_from', 10).notNullable().unique()
      /* residents | water | area | household */
      table.string('method', 20).notNullable()
      /* per person / per m³ / per m² / per household and month, grosze × 100 (water and area rates have fractions of a grosz) */
      table.bigInteger('rate_e2').notNullable()
      /* monthly discount for home composting, per the same unit, grosze × 100 */
      table.bigInteger('composting_discount_e2').notNullable().defaultTo(0)
      /* multiplier when waste is not sorted, × 100 (2–4 × → 200–400) */
      table.integer('non_sorting_multiplier_pct').notNullable()
      /* monthly:DD | quarterly:DD | twice-yearly */
      table.string('schedule', 40).notNullable()
      table.string('resolution', 200).nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
    })

    /* Owner declarations (deklaracja o wysokości opłaty): a new one takes effect from its month. */
    this.schema.createTable('fees_waste_declarations', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table.string('property_address', 200).notNullable()
      /* 'YYYY-MM' */
      table.string('effective_month', 7).notNullable()
      table.integer('residents').nullable()
      table.bigInteger('water_m3_e2').nullable()
      table.bigInteger('area_m2_e2').nullable()
      table.integer('households').nullable()
      table.boolean('composting').notNullable().defaultTo(false)
      table.boolean('sorting').notNullable().defaultTo(true)
      table.string('filed_on', 10).notNullable()
      table.timestamp('created_at').notNullable()
      table.index(['taxpayer_id', 'property_address', 'effective_month'])
    })

    /*
     * A liability with its calculation basis: a tax decision (nakaz płatniczy),
     * a waste-fee or another fee's yearly charge. A correction is a new row that
     * replaces the old one from a date.
     */
    this.schema.createTable('fees_assessments', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      /* property-individual | legal-person-monthly | transport | waste | fee */
      table.string('kind', 30).notNullable()
      table.integer('fee_type_id').unsigned().nullable().references('fees_fee_types.id')
      table.integer('year').notNullable()
      table.string('number', 60).notNullable().unique()
      table.string('title', 200).notNullable()
      table.bigInteger('total_gr').notNullable()
      /* active | replaced | cancelled */
      table.string('status', 12).notNullable()
      table.integer('replaces_id').unsigned().nullable().references('fees_assessments.id')
      /* a correction applies from this date; installments due before it stay as they were */
      table.string('effective_from', 10).nullable()
      table.string('issued_on', 10).notNullable()
      table.string('delivered_on', 10).nullable()
      table.string('pdf_path', 200).nullable()
      table.integer('issued_by_staff_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      table.index(['taxpayer_id', 'year'])
      table.index(['status', 'year'])
    })

    /* base × rate = amount, one line per object and category */
    this.schema.createTable('fees_assessment_lines', (table) => {
      table.increments('id')
      table
        .integer('assessment_id')
        .unsigned()
        .notNullable()
        .references('fees_assessments.id')
        .onDelete('CASCADE')
      table.integer('position').notNullable()
      table.string('tax', 20).notNullable()
      table.string('category', 40).notNullable()
      table.string('description', 300).notNullable()
      table.string('unit', 10).notNullable()
      table.bigInteger('base_e4').notNullable()
      table.bigInteger('rate_e4').notNullable()
      table.bigInteger('amount_gr').notNullable()
      table.index(['assessment_id'])
    })

    this.schema.createTable('fees_installments', (table) => {
      table.increments('id')
      table
        .integer('assessment_id')
        .unsigned()
        .notNullable()
        .references('fees_assessments.id')
        .onDelete('CASCADE')
      /* denormalised so a taxpayer's account loads with one indexed query */
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table.integer('number').notNullable()
      table.string('statutory_due', 10).notNullable()
      table.string('due', 10).notNullable()
      table.bigInteger('amount_gr').notNullable()
      /* the day this installment became owed or payable in advance: issue of its decision */
      table.string('exists_from', 10).notNullable()
      table.index(['taxpayer_id'])
      table.index(['assessment_id'])
      table.index(['due'])
    })

    /*
     * Ledger movements other than installments: reminder costs, write-offs,
     * refunds of overpayments. Payments are in fees_payments.
     */
    this.schema.createTable('fees_ledger_entries', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      /* reminder_cost | write_off | refund */
      table.string('kind', 20).notNullable()
      table
        .integer('installment_id')
        .unsigned()
        .nullable()
        .references('fees_installments.id')
        .onDelete('CASCADE')
      table.integer('reminder_id').unsigned().nullable()
      table.bigInteger('amount_gr').notNullable()
      table.string('booked_on', 10).notNullable()
      table.string('description', 300).notNullable()
      table.integer('staff_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.index(['taxpayer_id'])
    })

    this.schema.createTable('fees_payments', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table.bigInteger('amount_gr').notNullable()
      /* the day the payer's account was debited, or the day paid at the till */
      table.string('paid_on', 10).notNullable()
      /* bank | cash | online | manual | import */
      table.string('source', 12).notNullable()
      table.string('title', 300).nullable()
      table.string('reference', 120).nullable()
      table.integer('named_assessment_id').unsigned().nullable().references('fees_assessments.id')
      /* the same bank line or gateway notification books once */
      table.string('idempotency_key', 120).notNullable().unique()
      table.integer('staff_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.index(['taxpayer_id'])
      table.index(['paid_on'])
    })

    /* Reminders (upomnienia) before enforcement. */
    this.schema.createTable('fees_reminders', (table) => {
      table.increments('id')
      table
        .integer('taxpayer_id')
        .unsigned()
        .notNullable()
        .references('fees_taxpayers.id')
        .onDelete('CASCADE')
      table.string('number', 60).notNullable().unique()
      table.string('batch', 40).notNullable()
      table.string('issued_on', 10).notNullable()
      table.bigInteger('arrears_gr').notNullable()
      table.bigInteger('interest_gr').notNullable()
      table.bigInteger('cost_gr').notNullable()
      /* the installments it demands, comma separated ids */
      table.text('installment_ids').notNullable()
      table.string('pdf_path', 200).nullable()
      /* issued | posted | delivered */
      table.string('status', 12).notNullable()
      table.string('posted_on', 10).nullable()
      table.timestamp('created_at').notNullable()
      table.index(['taxpayer_id'])
      table.index(['batch'])
    })

    /* In-app messages to a resident's e-BOK inbox. */
    this.schema.createTable('resident_messages', (table) => {
      table.increments('id')
      table
        .integer('resident_id')
        .unsigned()
        .notNullable()
        .references('residents.id')
        .onDelete('CASCADE')
      table.string('subject', 200).notNullable()
      table.text('body').notNullable()
      table.string('link', 300).nullable()
      table.string('idempotency_key', 120).nullable().unique()
      table.timestamp('read_at').nullable()
      table.timestamp('created_at').notNullable()
      table.index(['resident_id'])
    })

    /* Import runs: the row-by-row report stays for the clerk to read again. */
    this.schema.createTable('fees_imports', (table) => {
      table.increments('id')
      table.string('kind', 30).notNullable()
      table.string('file_name', 200).notNullable()
      table.string('encoding', 20).notNullable()
      table.integer('rows_total').notNullable()
      table.integer('rows_imported').notNullable()
      table.integer('rows_rejected').notNullable()
      table.text('report').notNullable()
      table.integer('staff_id').unsigned().nullable()
      table.timestamp('created_at').notNullable()
    })
  }

  async down() {
    for (const name of [
      'fees_imports',
      'resident_messages',
      'fees_reminders',
      'fees_payments',
      'fees_ledger_entries',
      'fees_installments',
      'fees_assessment_lines',
      'fees_assessments',
      'fees_waste_declarations',
      'fees_waste_rates',
      'fees_fee_types',
      'fees_tax_objects',
      'fees_tax_rates',
      'fees_taxpayer_links',
      'fees_taxpayer_members',
      'fees_taxpayers',
    ])
      this.schema.dropTable(name)
  }
}
