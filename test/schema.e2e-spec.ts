import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';
import { AppDataSource } from '../src/database/app-data-source';
import { createTestApp, TestApp } from './support/test-app';

const SRC = join(__dirname, '..', 'src');
/** Declares the shared id and created/updated columns, no table of its own. */
const BASE_ENTITY = join(SRC, 'database', 'base.entity.ts');

function entityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return entityFiles(path);
    return e.name.endsWith('.entity.ts') ? [path] : [];
  });
}

type EntityClass = new () => object;

/** The `@Entity` classes each entity file exports. */
async function entityClassesByFile(): Promise<Map<string, EntityClass[]>> {
  const byFile = new Map<string, EntityClass[]>();
  for (const file of entityFiles(SRC)) {
    const exported = Object.values((await import(file)) as Record<string, unknown>);
    const tables = new Set(getMetadataArgsStorage().tables.map((t) => t.target));
    byFile.set(
      file,
      exported.filter((value): value is EntityClass => typeof value === 'function' && tables.has(value)),
    );
  }
  return byFile;
}

interface IndexShape {
  columns: string[];
  unique: boolean;
  where: string | null;
}

/**
 * The migrations are the schema; the entities must describe exactly what they create, on both
 * engines. After the real migrations have run on a fresh database, TypeORM's schema builder (what
 * `synchronize` would run) must find nothing to do: a table, column, type, length, default,
 * nullability, index, unique constraint or foreign key (and its ON DELETE) that differs between an
 * entity and its migration shows as the statement TypeORM would run to "fix" it. A column added to
 * an entity without a migration fails here.
 */
describe('the entities match the migrated schema', () => {
  let byFile: Map<string, EntityClass[]>;
  let t: TestApp;
  let dataSource: AppDataSource;

  beforeAll(async () => {
    byFile = await entityClassesByFile();
    // The real application on a fresh database: it applies MIGRATIONS at start-up. No jobs: nothing
    // but the schema is looked at.
    t = await createTestApp({ env: { SCHEDULED_JOBS_ENABLED: 'false' } });
    dataSource = t.dataSource as AppDataSource;
  });
  afterAll(async () => {
    await t?.close();
  });

  const postgres = () => dataSource.options.type === 'postgres';

  it('the application opens an AppDataSource and knows every entity', () => {
    expect(dataSource).toBeInstanceOf(AppDataSource);
    const withoutEntity = [...byFile]
      .filter(([file, classes]) => file !== BASE_ENTITY && classes.length === 0)
      .map(([file]) => relative(SRC, file));
    expect(withoutEntity).toEqual([]);
    const unregistered = [...byFile.values()]
      .flat()
      .filter((entity) => !dataSource.hasMetadata(entity))
      .map((entity) => entity.name);
    expect(unregistered).toEqual([]);
  });

  it('every migrated table has an entity', async () => {
    const rows: Array<{ name: string }> = await dataSource.query(
      postgres()
        ? `SELECT table_name AS name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
        : `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
    );
    // `migrations` is TypeORM's own record of what has run.
    const tables = rows
      .map((r) => r.name)
      .filter((name) => name !== 'migrations')
      .sort();
    expect(tables).toEqual(dataSource.entityMetadatas.map((m) => m.tableName).sort());
  });

  it(`TypeORM proposes no schema change (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`, async () => {
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    const statements = upQueries.map((q) => q.query);
    if (statements.length > 0) {
      console.log(`${statements.length} statement(s) TypeORM would run:\n${statements.join(';\n')}`);
    }
    expect(statements).toEqual([]);
  });

  /**
   * TypeORM's diff finds an index by name and compares its uniqueness and its set of columns, but
   * not their order nor a partial index's WHERE: both matter (the order decides which queries the
   * index serves; the WHERE of UQ_booking_booked_slot is the one-booked-item-per-slot rule).
   * PostgreSQL stores the WHERE rewritten (`((status)::text = 'booked'::text)`), so the text is
   * compared on SQLite, which keeps it as written; entities and migrations use one engine-neutral
   * string for both engines, so that covers PostgreSQL too, where only its presence is compared.
   */
  it('indexes have their columns in the migrations’ order and the same partial-index condition', async () => {
    const expected: Record<string, IndexShape> = {};
    for (const m of dataSource.entityMetadatas) {
      for (const index of m.indices) {
        expected[`${m.tableName}.${index.name}`] = {
          columns: index.columns.map((c) => c.databaseName),
          unique: index.isUnique,
          where: index.where || null,
        };
      }
    }
    const actual = await migratedIndexes();
    if (postgres()) {
      for (const shape of [...Object.values(expected), ...Object.values(actual)]) {
        shape.where = shape.where === null ? null : '(present)';
      }
    }
    expect(actual).toEqual(expected);
  });

  /** Every index the migrations made that is not a primary key or a unique constraint. */
  async function migratedIndexes(): Promise<Record<string, IndexShape>> {
    const found: Record<string, IndexShape> = {};
    if (postgres()) {
      const rows: Array<{ table: string; index: string; column: string; unique: boolean; where: string | null }> =
        await dataSource.query(`
          SELECT t.relname AS "table", i.relname AS "index", a.attname AS "column", ix.indisunique AS "unique",
                 pg_get_expr(ix.indpred, ix.indrelid) AS "where"
          FROM pg_index ix
          JOIN pg_class t ON t.oid = ix.indrelid
          JOIN pg_class i ON i.oid = ix.indexrelid
          JOIN pg_namespace ns ON ns.oid = t.relnamespace
          CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, position)
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
          WHERE ns.nspname = current_schema() AND t.relname <> 'migrations' AND NOT ix.indisprimary
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
          ORDER BY t.relname, i.relname, k.position`);
      for (const r of rows) {
        const shape = (found[`${r.table}.${r.index}`] ??= { columns: [], unique: r.unique, where: r.where });
        shape.columns.push(r.column);
      }
      return found;
    }
    const queryRunner = dataSource.createQueryRunner();
    try {
      for (const table of await queryRunner.getTables(dataSource.entityMetadatas.map((m) => m.tableName))) {
        for (const index of table.indices) {
          found[`${table.name}.${index.name}`] = {
            columns: index.columnNames,
            unique: index.isUnique,
            where: index.where || null,
          };
        }
      }
    } finally {
      await queryRunner.release();
    }
    return found;
  }
});
