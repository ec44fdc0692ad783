import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * SQLite's "now" with milliseconds, as the migrations' `createdAt()` default
 * (migrations/column-types.ts). TypeORM's own `datetime('now')` has whole seconds only.
 */
export const SQLITE_NOW = "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";

/**
 * The DataSource every part of the application opens. It makes TypeORM's metadata say what the
 * migrations create, engine by engine (migrations/column-types.ts):
 *
 * - An instant is `timestamptz` on PostgreSQL (absolute whatever the server's zone) and UTC text
 *   `datetime` on SQLite. Entities declare instants as `type: Date` (and created/updated dates
 *   with `@CreateDateColumn()`/`@UpdateDateColumn()`), which TypeORM maps to `datetime` on SQLite
 *   but to `timestamp` without zone on PostgreSQL; SQLite's driver has no `timestamptz`, so no
 *   single type in a decorator can say both. Here `Date` becomes `timestamptz` on PostgreSQL.
 *   TypeORM reads and writes `Date` and `timestamptz` columns the same way on PostgreSQL, so
 *   only the schema TypeORM describes changes, not the values.
 * - Created/updated dates default to the migrations' "now": PostgreSQL's `now()` (TypeORM's own
 *   default too) and SQLite's millisecond `SQLITE_NOW`. On SQLite TypeORM writes that expression
 *   into the INSERT itself (SQLite has no DEFAULT keyword in VALUES), so new rows get the same
 *   millisecond stamps as the column default gives.
 *
 * test/schema.e2e-spec.ts proves the result: after the migrations, TypeORM finds nothing to change.
 */
export class AppDataSource extends DataSource {
  constructor(options: DataSourceOptions) {
    super(options);
    const mapped = this.driver.mappedDataTypes;
    if (this.isPostgres) {
      mapped.createDate = 'timestamptz';
      mapped.updateDate = 'timestamptz';
    } else {
      mapped.createDateDefault = SQLITE_NOW;
      mapped.updateDateDefault = SQLITE_NOW;
    }
  }

  private get isPostgres(): boolean {
    return this.options.type === 'postgres';
  }

  protected override async buildMetadatas(): Promise<void> {
    await super.buildMetadatas();
    if (!this.isPostgres) return;
    for (const metadata of this.entityMetadatas) {
      for (const column of metadata.columns) if (column.type === Date) column.type = 'timestamptz';
    }
  }
}
