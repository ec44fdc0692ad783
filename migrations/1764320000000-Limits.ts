import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { columnTypes } from './column-types';

/** Outgoing mail has a priority, so that a sign-in link never waits behind a flood of notices. */
export class Limits1764320000000 implements MigrationInterface {
  name = 'Limits1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('outbox_message', new TableColumn(t.integer('priority', 1)));
    await queryRunner.createIndex(
      'outbox_message',
      new TableIndex({ name: 'IDX_outbox_priority', columnNames: ['status', 'priority', 'createdAt'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('outbox_message', 'IDX_outbox_priority');
    await queryRunner.dropColumn('outbox_message', 'priority');
  }
}
