import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columnTypes } from './column-types';

/** What happened after the advice: one question per item advised to refer, and its answer. */
export class WhatHappenedNext1764400000000 implements MigrationInterface {
  name = 'WhatHappenedNext1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    const nullableBoolean = (name: string) => ({ ...t.boolean(name), isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: 'item_next_step',
        columns: [
          t.id(),
          t.uuid('bookingId'),
          t.uuid('meetingId'),
          t.uuid('agencyId'),
          t.uuid('presenterUserId'),
          t.varchar('pathway', 30),
          t.instant('askedAt'),
          t.instant('remindedAt', true),
          t.instant('noAnswerAt', true),
          t.instant('answeredAt', true),
          nullableBoolean('referralMade'),
          t.date('madeOn', true),
          nullableBoolean('heardBack'),
          t.date('heardBackOn', true),
          t.integer('responseWorkingDays', undefined, true),
          nullableBoolean('respondedInTime'),
          t.integer('version', 1),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [
          {
            columnNames: ['bookingId'],
            referencedTableName: 'booking',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
          {
            columnNames: ['meetingId'],
            referencedTableName: 'meeting',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
        indices: [
          // Asking twice (a second run, another instance) loses to this index.
          { name: 'UQ_item_next_step_booking', columnNames: ['bookingId'], isUnique: true },
          { name: 'IDX_item_next_step_open', columnNames: ['answeredAt', 'noAnswerAt'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('item_next_step');
  }
}
