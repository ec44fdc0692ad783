import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columnTypes } from './column-types';

export class Foundation1764140000000 implements MigrationInterface {
  name = 'Foundation1764140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);

    await queryRunner.createTable(
      new Table({
        name: 'agency',
        columns: [t.id(), t.varchar('name', 160), t.varchar('sector', 40), t.createdAt(), t.createdAt('updatedAt')],
        uniques: [{ name: 'UQ_agency_name', columnNames: ['name'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'agency_email_domain',
        columns: [{ ...t.varchar('domain', 253), isPrimary: true }, t.uuid('agencyId')],
        foreignKeys: [
          {
            columnNames: ['agencyId'],
            referencedTableName: 'agency',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          },
        ],
        indices: [{ name: 'IDX_agency_email_domain_agency', columnNames: ['agencyId'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'app_user',
        columns: [
          t.id(),
          t.varchar('email', 254),
          t.varchar('name', 120),
          t.uuid('agencyId', true),
          t.text('roles'),
          t.boolean('active', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        uniques: [{ name: 'UQ_app_user_email', columnNames: ['email'] }],
        foreignKeys: [
          {
            columnNames: ['agencyId'],
            referencedTableName: 'agency',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
          },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sign_in_token',
        columns: [
          t.id(),
          t.varchar('tokenHash', 64),
          t.varchar('email', 254),
          t.instant('expiresAt'),
          t.instant('usedAt', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [
          { name: 'UQ_sign_in_token_hash', columnNames: ['tokenHash'], isUnique: true },
          { name: 'IDX_sign_in_token_email', columnNames: ['email'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'session',
        columns: [
          t.id(),
          t.varchar('tokenHash', 64),
          t.uuid('userId'),
          t.instant('expiresAt'),
          t.instant('lastSeenAt'),
          t.instant('revokedAt', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        indices: [
          { name: 'UQ_session_token_hash', columnNames: ['tokenHash'], isUnique: true },
          { name: 'IDX_session_user', columnNames: ['userId'] },
        ],
      }),
    );
    await queryRunner.createForeignKey(
      'session',
      new TableForeignKey({
        columnNames: ['userId'],
        referencedTableName: 'app_user',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'outbox_message',
        columns: [
          t.id(),
          t.varchar('messageId', 300),
          t.varchar('kind', 60),
          t.varchar('recipient', 254),
          t.varchar('subject', 250),
          t.text('text'),
          t.text('html'),
          t.text('calendar', true),
          t.boolean('containsSecret', false),
          { ...t.varchar('status', 12), default: "'queued'" },
          t.integer('attempts', 0),
          t.instant('nextAttemptAt'),
          t.instant('leaseUntil', true),
          t.instant('sentAt', true),
          t.varchar('lastError', 500, true),
          t.varchar('subjectType', 40, true),
          t.uuid('subjectId', true),
          t.createdAt(),
          t.createdAt('updatedAt'),
        ],
        uniques: [{ name: 'UQ_outbox_message_id', columnNames: ['messageId'] }],
        indices: [
          { name: 'IDX_outbox_due', columnNames: ['status', 'nextAttemptAt'] },
          { name: 'IDX_outbox_subject', columnNames: ['subjectType', 'subjectId'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_event',
        columns: [
          t.id(),
          t.createdAt('at'),
          t.uuid('actorUserId', true),
          t.varchar('action', 80),
          t.varchar('entityType', 40, true),
          t.uuid('entityId', true),
          t.varchar('ip', 64, true),
          t.text('details', true),
        ],
      }),
    );
    await queryRunner.createIndex('audit_event', new TableIndex({ name: 'IDX_audit_event_at', columnNames: ['at'] }));
    await queryRunner.createIndex(
      'audit_event',
      new TableIndex({ name: 'IDX_audit_event_entity', columnNames: ['entityType', 'entityId'] }),
    );

    // The audit log is append-only: the database itself refuses to change or remove a line.
    if (t.postgres) {
      await queryRunner.query(`CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql`);
      await queryRunner.query(`CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()`);
    } else {
      await queryRunner.query(`CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`);
      await queryRunner.query(`CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
        BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const t = columnTypes(queryRunner);
    if (t.postgres) {
      await queryRunner.query('DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event');
      await queryRunner.query('DROP FUNCTION IF EXISTS audit_event_append_only()');
    }
    for (const table of [
      'audit_event',
      'outbox_message',
      'session',
      'sign_in_token',
      'app_user',
      'agency_email_domain',
      'agency',
    ]) {
      await queryRunner.dropTable(table, true);
    }
  }
}
