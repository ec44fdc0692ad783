import { QueryRunner, TableColumnOptions } from 'typeorm';

/**
 * Portable column definitions for migrations. Instants are `timestamptz` on PostgreSQL (absolute,
 * whatever the server's zone) and TypeORM's UTC text `datetime` on SQLite.
 */
export function columnTypes(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.driver.options.type === 'postgres';
  const nowDefault = postgres ? 'now()' : "(strftime('%Y-%m-%d %H:%M:%f', 'now'))";
  return {
    postgres,
    id: (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true }),
    uuid: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '36',
      isNullable: nullable,
    }),
    varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable: nullable,
    }),
    text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
    integer: (name: string, defaultValue?: number, nullable = false): TableColumnOptions => ({
      name,
      type: 'integer',
      isNullable: nullable,
      ...(defaultValue !== undefined ? { default: String(defaultValue) } : {}),
    }),
    boolean: (name: string, defaultValue?: boolean): TableColumnOptions => ({
      name,
      type: 'boolean',
      isNullable: false,
      ...(defaultValue !== undefined ? { default: postgres ? String(defaultValue) : defaultValue ? '1' : '0' } : {}),
    }),
    instant: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: postgres ? 'timestamptz' : 'datetime',
      isNullable: nullable,
    }),
    createdAt: (name = 'createdAt'): TableColumnOptions => ({
      name,
      type: postgres ? 'timestamptz' : 'datetime',
      isNullable: false,
      default: nowDefault,
    }),
    /** ISO calendar date 'YYYY-MM-DD' kept as text: a date, not an instant. */
    date: (name: string, nullable = false): TableColumnOptions => ({
      name,
      type: 'varchar',
      length: '10',
      isNullable: nullable,
    }),
  };
}
