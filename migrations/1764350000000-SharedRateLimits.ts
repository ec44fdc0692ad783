import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Sign-in rate limits counted in the database (src/rate-limits/), so that several app instances
 * share them: one row per limit window, keyed by a hash of what it counts.
 */
export class SharedRateLimits1764350000000 implements MigrationInterface {
  name = 'SharedRateLimits1764350000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'rate_limit_counter',
        columns: [
          { ...t.varchar('key', 64), isPrimary: true },
          t.integer('hits'),
          { name: 'windowEndsAt', type: 'bigint', isNullable: false },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('rate_limit_counter');
  }
}
