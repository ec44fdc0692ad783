import { In, LessThanOrEqual } from 'typeorm';
import { OutboxMessage } from '../../src/mail/outbox-message.entity';
import type { SmtpTestServer } from './smtp-test-server';
import type { TestApp } from './test-app';

/**
 * Waits until the outbox has nothing left that is due (every queued message sent or failed) and
 * the SMTP server has received every message sent: then "nothing was sent to X" can be asserted
 * without sleeping and hoping.
 */
export async function outboxSettled(t: TestApp, smtp: SmtpTestServer, timeoutMs = 15_000): Promise<void> {
  const repo = t.dataSource.getRepository(OutboxMessage);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const pending = await repo.countBy({
      status: In(['queued', 'sending']),
      nextAttemptAt: LessThanOrEqual(t.clock.now()),
    });
    const sent = await repo.countBy({ status: 'sent' });
    if (pending === 0 && smtp.messages.length >= sent) return;
    if (performance.now() > deadline) throw new Error(`the outbox did not settle: ${pending} message(s) still due`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
