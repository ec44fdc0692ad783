/**
 * `npm run migration:create -- <Name>`: writes migrations/<timestamp>-<Name>.ts, a skeleton to
 * fill in with TypeORM's engine-neutral Table API and the portable column helpers
 * (migrations/column-types.ts), and registers it at the end of MIGRATIONS (migrations/index.ts).
 *
 * Why a skeleton rather than `typeorm migration:generate`: generate writes the SQL of the one engine
 * it ran against (PostgreSQL's `timestamptz` and `now()`, or SQLite's table rebuilds), while every
 * migration here must run on both. The schema test (test/schema.e2e-spec.ts) then checks, on both
 * engines, that the entities and the migrations say the same thing.
 *
 * Until it is filled in, the new migration refuses to run, so an empty one is never recorded as
 * applied.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';

const MIGRATIONS_DIR = join(__dirname, '..', 'migrations');
const INDEX = join(MIGRATIONS_DIR, 'index.ts');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function skeleton(className: string): string {
  return `import { MigrationInterface, QueryRunner } from 'typeorm';
// import { Table, TableColumn, TableIndex } from 'typeorm';
// import { columnTypes } from './column-types';

/**
 * TODO: what this migration changes, and why. Add the same columns, indexes and foreign keys to the
 * entities (test/schema.e2e-spec.ts compares them on both engines), and any new case-text column to
 * the retention job.
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  // Replace each throw with the change (and rename the parameter to queryRunner), e.g.:
  async up(_queryRunner: QueryRunner): Promise<void> {
    // const t = columnTypes(queryRunner);
    // await queryRunner.addColumn('booking', new TableColumn(t.instant('reviewedAt', true)));
    throw new Error('${className} is not written yet');
  }

  async down(_queryRunner: QueryRunner): Promise<void> {
    // await queryRunner.dropColumn('booking', 'reviewedAt');
    throw new Error('${className} is not written yet');
  }
}
`;
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || process.argv.length > 3 || !/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    fail('Usage: npm run migration:create -- <Name>   (PascalCase, e.g. BookingReviewDate)');
  }
  const files = readdirSync(MIGRATIONS_DIR);
  const existing = files.map((f) => /^(\d{13})-(\w+)\.ts$/.exec(f)).filter((m): m is RegExpExecArray => m !== null);
  if (existing.some((m) => m[2] === name)) fail(`A migration named ${name} already exists.`);

  // Later than every existing migration even if this machine's clock is behind: TypeORM runs them in order.
  const timestamp = Math.max(Date.now(), ...existing.map((m) => Number(m[1]) + 1));
  const className = `${name}${timestamp}`;
  const fileName = `${timestamp}-${name}`;

  const index = readFileSync(INDEX, 'utf8');
  const imports = [...index.matchAll(/^import .*;$/gm)];
  const listEnd = index.lastIndexOf('];');
  if (imports.length === 0 || listEnd === -1) fail(`Cannot find the imports and the MIGRATIONS list in ${INDEX}.`);
  const afterImports = imports[imports.length - 1].index + imports[imports.length - 1][0].length;
  const updated =
    index.slice(0, afterImports) +
    `\nimport { ${className} } from './${fileName}';` +
    index.slice(afterImports, listEnd) +
    `  ${className},\n` +
    index.slice(listEnd);

  const migrationFile = join(MIGRATIONS_DIR, `${fileName}.ts`);
  const prettier = { ...(await resolveConfig(INDEX)), parser: 'typescript' };
  writeFileSync(migrationFile, await format(skeleton(className), prettier), { flag: 'wx' });
  writeFileSync(INDEX, await format(updated, prettier));
  console.log(`Created migrations/${fileName}.ts and added ${className} to MIGRATIONS (migrations/index.ts).`);
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
