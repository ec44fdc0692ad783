import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DateTime } from 'luxon';
import { ConfigError, loadConfig } from '../config/app-config';
import { LONDON_ZONE } from '../scheduling/calendar-rules';
import { RetentionCliModule } from './retention-cli.module';
import { RetentionReport, RetentionService } from './retention.service';

/**
 * `npm run retention:dry-run`: prints what the retention job would erase now, on the configured
 * database, and changes nothing (not even pending migrations). `npm run retention:run`: runs the
 * job now, as the nightly schedule would. Both print counts, dates and item references only:
 * never case text.
 */
async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  if (dryRun) process.env.DATABASE_MIGRATE_ON_START = 'false';
  loadConfig(); // stop here, with the usual message, on a bad setting
  const app = await NestFactory.createApplicationContext(RetentionCliModule, { logger: ['error', 'warn'] });
  try {
    const retention = app.get(RetentionService);
    const result = dryRun ? await retention.dryRun() : await retention.run();
    console.log(describe(result));
  } finally {
    await app.close();
  }
}

export function describe(r: RetentionReport): string {
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: LONDON_ZONE }).toFormat('yyyy-MM-dd HH:mm');
  const lines = [
    `${r.dryRun ? 'Dry run: nothing is changed.' : 'Retention run.'} Policy: case text is kept ${r.months} month(s) after the meeting; ` +
      `meetings that ended before ${day(r.cutoff)} (London) are past it.`,
    `${r.dryRun ? 'Would erase' : 'Erased'}: ${r.totals.items} item(s), ${r.totals.outcomes} outcome(s), ${r.totals.actions} action(s), ` +
      `${r.totals.themesNotes} themes note(s), ${r.totals.minutesVersions} minutes version(s), in ${r.meetings.filter((w) => w.items.length || w.actionIds.length || w.themesNote).length} meeting(s). ` +
      `Kept on legal hold: ${r.totals.heldItems} item(s).`,
  ];
  for (const w of r.meetings) {
    const parts = [
      w.items.length ? `items ${w.items.map((i) => i.reference).join(', ')}` : null,
      w.heldItems.length ? `on legal hold ${w.heldItems.map((i) => i.reference).join(', ')}` : null,
      w.actionIds.length ? `${w.actionIds.length} other action(s)` : null,
      w.themesNote ? 'themes note' : null,
      w.minutesVersions.some((v) => v.erasure.bookingIds.length + v.erasure.actionIds.length || v.erasure.themesNote)
        ? `minutes version(s) ${w.minutesVersions
            .filter((v) => v.erasure.bookingIds.length + v.erasure.actionIds.length || v.erasure.themesNote)
            .map((v) => v.version)
            .join(', ')}`
        : null,
    ].filter(Boolean);
    lines.push(`  meeting ${day(w.startsAt)} (${w.meetingId}): ${parts.join('; ')}`);
  }
  if (r.compaction) lines.push(r.compaction);
  return lines.join('\n');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(
      err instanceof ConfigError
        ? err.message
        : `Retention failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  });
}
