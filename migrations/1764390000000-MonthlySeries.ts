import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/** A series may recur by a monthly rule ("the first Tuesday") instead of every N weeks. */
export class MonthlySeries1764390000000 implements MigrationInterface {
  name = 'MonthlySeries1764390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('meeting_series', new TableColumn(t.varchar('recurrence', 100, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('meeting_series', 'recurrence');
  }
}
