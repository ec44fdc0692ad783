import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Reports and retention (issue 7).
 *
 * - `booking.caseTextErasedAt` and `minutes.caseTextErasedAt`: when the retention job replaced
 *   the item's free text (question, summary, agency reference) or the minutes' themes note. The
 *   outcome, action and minutes-version tables have had the same column since issue 5.
 * - `legal_hold`: a coordinator's hold on an item, which keeps its case text (and its outcome's,
 *   its actions' and its sections of the minutes) past the retention period. Holds are never
 *   deleted: lifting one fills in `liftedAt`, so the history stays. A partial unique index allows
 *   one hold in force per item, so two coordinators placing a hold at once cannot both succeed.
 *
 * The reports need no schema: they read the structured columns that are already there.
 */
export class ReportsAndRetention1764200000000 implements MigrationInterface {
  name = 'ReportsAndRetention1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('booking', new TableColumn(t.instant('caseTextErasedAt', true)));
    await queryRunner.addColumn('minutes', new TableColumn(t.instant('caseTextErasedAt', true)));

    const fk = (column: string, table: string) => ({
      columnNames: [column],
      referencedTableName: table,
      referencedColumnNames: ['id'],
      onDelete: 'RESTRICT',
    });
    await queryRunner.createTable(
      new Table({
        name: 'legal_hold',
        columns: [
          t.id(),
          t.uuid('bookingId'),
          t.varchar('reason', 500),
          t.instant('placedAt'),
          t.uuid('placedByUserId'),
          t.instant('liftedAt', true),
          t.uuid('liftedByUserId', true),
          t.varchar('liftReason', 500, true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        foreignKeys: [fk('bookingId', 'booking'), fk('placedByUserId', 'app_user'), fk('liftedByUserId', 'app_user')],
        indices: [
          { name: 'UQ_legal_hold_in_force', columnNames: ['bookingId'], isUnique: true, where: '"liftedAt" IS NULL' },
          { name: 'IDX_legal_hold_booking', columnNames: ['bookingId'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('legal_hold', true);
    await queryRunner.dropColumn('minutes', 'caseTextErasedAt');
    await queryRunner.dropColumn('booking', 'caseTextErasedAt');
  }
}
