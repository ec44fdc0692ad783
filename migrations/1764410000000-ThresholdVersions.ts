import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columnTypes } from './column-types';

/**
 * Which version of the threshold document an item's level considered and an outcome's level and
 * pathway belong to. Rows made before (null) belong to the oldest configured version.
 */
export class ThresholdVersions1764410000000 implements MigrationInterface {
  name = 'ThresholdVersions1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    await queryRunner.addColumn('booking', new TableColumn(t.varchar('thresholdVersion', 40, true)));
    await queryRunner.addColumn('item_outcome', new TableColumn(t.varchar('thresholdVersion', 40, true)));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('item_outcome', 'thresholdVersion');
    await queryRunner.dropColumn('booking', 'thresholdVersion');
  }
}
