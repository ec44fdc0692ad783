import { EntityManager } from 'typeorm';
import { Meeting } from './meeting.entity';

/**
 * Reads a meeting inside a transaction and, on PostgreSQL, locks its row until commit, so that
 * everything that changes one meeting's agenda (bookings, withdrawals, cancellation) queues per
 * meeting. SQLite transactions are already serialised by the TransactionRunner. The unique index
 * on booked slots stays the last word either way.
 */
export async function findMeetingForUpdate(m: EntityManager, id: string): Promise<Meeting | null> {
  const qb = m.createQueryBuilder(Meeting, 'meeting').where('meeting.id = :id', { id });
  if (m.connection.options.type === 'postgres') qb.setLock('pessimistic_write');
  return qb.getOne();
}
