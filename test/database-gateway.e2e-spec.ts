import request from 'supertest';
import { EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { BookingsService } from '../src/bookings/bookings.service';
import { IdempotencyRecord } from '../src/bookings/idempotency-record.entity';
import { TransactionRunner } from '../src/database/transaction-runner';
import { User } from '../src/directory/user.entity';
import { SmtpTestServer } from './support/smtp-test-server';
import { createTestApp, TestApp, testNow } from './support/test-app';

/** A promise the test resolves when it chooses: holds a write transaction open mid-way. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

class RolledBack extends Error {}

function insertEvent(m: EntityManager, action: string) {
  const event = m.create(AuditEvent, { at: testNow(), action, details: null, ip: null });
  return m.insert(AuditEvent, event as QueryDeepPartialEntity<AuditEvent>);
}

describe('the read and write gateway', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let tx: TransactionRunner;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    t = await createTestApp({ env: { SMTP_URL: smtp.url } });
    tx = t.app.get(TransactionRunner);
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const auditCount = (action: string) => tx.read((m) => m.countBy(AuditEvent, { action }));

  it('a read outside a write never sees the rows of a write that is still open, nor of one that rolls back', async () => {
    const held = gate();
    const inserted = gate();
    const writing = tx
      .write(async (m) => {
        await insertEvent(m, 'test.uncommitted');
        // Inside the write, reads see its own change.
        expect(await tx.read((inner) => inner.countBy(AuditEvent, { action: 'test.uncommitted' }))).toBe(1);
        inserted.open();
        await held.wait;
        throw new RolledBack('roll back');
      })
      .catch((err: unknown) => err);

    await inserted.wait;
    // The write is open and has inserted its row: a concurrent read must not count it.
    expect(await auditCount('test.uncommitted')).toBe(0);
    held.open();
    expect(await writing).toBeInstanceOf(RolledBack);
    expect(await auditCount('test.uncommitted')).toBe(0);
  });

  it('a read outside a write sees a write once it has committed, and does not queue behind an open one', async () => {
    const held = gate();
    const inserted = gate();
    const writing = tx.write(async (m) => {
      await insertEvent(m, 'test.committed');
      inserted.open();
      await held.wait;
    });
    await inserted.wait;
    // Answered while the write is still open (it would deadlock here if reads queued behind writes).
    expect(await auditCount('test.committed')).toBe(0);
    held.open();
    await writing;
    expect(await auditCount('test.committed')).toBe(1);
  });

  it('an Idempotency-Key retry is not answered from a first attempt that has not committed (and then rolls back)', async () => {
    const bookings = t.app.get(BookingsService);
    const user = await tx.read((m) => m.findOneByOrFail(User, { email: 'coordinator@partnership.test' }));
    const held = gate();
    const inserted = gate();
    const first = tx
      .write(async (m) => {
        await m.insert(
          IdempotencyRecord,
          m.create(IdempotencyRecord, {
            userId: user.id,
            key: 'retry-key',
            requestHash: 'h',
            responseStatus: 201,
            responseBody: { id: 'never-committed' },
          }) as QueryDeepPartialEntity<IdempotencyRecord>,
        );
        inserted.open();
        await held.wait;
        throw new RolledBack('the first attempt fails after writing its record');
      })
      .catch((err: unknown) => err);
    await inserted.wait;
    const replay = (b: BookingsService) =>
      (b as unknown as { replay(u: string, k: string, h: string): Promise<unknown> }).replay(user.id, 'retry-key', 'h');
    expect(await replay(bookings)).toBeNull();
    held.open();
    expect(await first).toBeInstanceOf(RolledBack);
    expect(await replay(bookings)).toBeNull();
  });

  it('serves pages and the API while a long write is open (the access guard reads committed data)', async () => {
    const held = gate();
    const inserted = gate();
    const writing = tx.write(async (m) => {
      await insertEvent(m, 'test.long-write');
      inserted.open();
      await held.wait;
    });
    await inserted.wait;
    await request(t.http).get('/health').expect(200);
    await request(t.http)
      .get('/api/me')
      .set('Authorization', `Bearer ${'x'.repeat(43)}`)
      .expect(401);
    held.open();
    await writing;
  });
});
