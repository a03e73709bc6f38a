import db from '@adonisjs/lucid/services/db'

/*
 * Makes every COMMIT of a transaction that inserted into `table` fail, the way a full data
 * disk fails it: the statements all succeed, only the COMMIT is refused. SQLite: the insert
 * adds a row whose deferred foreign key points nowhere, checked at COMMIT
 * (SQLITE_CONSTRAINT_FOREIGNKEY). PostgreSQL: a deferred constraint trigger raises
 * disk_full (53100) at COMMIT. The rows only count inside the failing transaction.
 */
export async function failCommitsOn(table: string) {
  const client = db.connection()
  if (client.dialect.name === 'postgres') {
    await client.rawQuery(`CREATE OR REPLACE FUNCTION commit_fault_raise() RETURNS trigger
      LANGUAGE plpgsql AS $$ BEGIN
        RAISE EXCEPTION 'injected commit failure' USING ERRCODE = '53100';
      END $$`)
    await client.rawQuery(`CREATE CONSTRAINT TRIGGER commit_fault_${table} AFTER INSERT ON ${table}
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commit_fault_raise()`)
    return
  }
  await client.rawQuery(`CREATE TABLE IF NOT EXISTS commit_fault_refs (
    id INTEGER PRIMARY KEY,
    ref INTEGER REFERENCES commit_fault_refs (id) DEFERRABLE INITIALLY DEFERRED)`)
  await client.rawQuery(`CREATE TRIGGER commit_fault_${table} AFTER INSERT ON ${table}
    BEGIN INSERT INTO commit_fault_refs (ref) VALUES (-1); END`)
}

/** Commits work again on `table`. */
export async function healCommitsOn(table: string) {
  const client = db.connection()
  if (client.dialect.name === 'postgres') {
    await client.rawQuery(`DROP TRIGGER IF EXISTS commit_fault_${table} ON ${table}`)
    return
  }
  await client.rawQuery(`DROP TRIGGER IF EXISTS commit_fault_${table}`)
  await client.rawQuery('DROP TABLE IF EXISTS commit_fault_refs')
}
