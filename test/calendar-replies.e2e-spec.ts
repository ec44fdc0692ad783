import MailComposer from 'nodemailer/lib/mail-composer';
import request from 'supertest';
import type { ParsedMail } from 'mailparser';
import { AuditEvent } from '../src/audit/audit-event.entity';
import { CalendarRepliesService } from '../src/calendar-replies/calendar-replies.service';
import { RepliesMailbox } from '../src/calendar-replies/replies-mailbox';
import { RemindersService } from '../src/calendar/reminders.service';
import { createSeries, Partnership, setUpPartnership, thresholdItem } from './support/fixtures';
import { calendarParts, events, parseIcs, parseWithNodeIcal, prop, seriesWithNodeIcal } from './support/ical';
import { ImapTestServer } from './support/imap-test-server';
import { outboxSettled } from './support/outbox';
import { bearer } from './support/sign-in';
import { SmtpTestServer } from './support/smtp-test-server';
import { story } from './support/story';
import { createTestApp, TestApp } from './support/test-app';
import { webSignIn } from './support/web';

/**
 * Calendar replies read from a real IMAP mailbox (dovecot, started by the test): invites ask for
 * replies (RSVP=TRUE) once a replies mailbox is configured; a chair's or core member's answer, to
 * the whole series or to one meeting, becomes their expected attendance, shown to the chair and
 * the coordinator; a presenter's Decline withdraws nothing but asks them, by e-mail, to confirm.
 * Each reply is built the way a calendar client builds one (from the invite it received, METHOD
 * REPLY, its own ATTENDEE only) and sent as a MIME message composed by nodemailer.
 */
const inCi = process.env.CI === 'true';
const describeWithImap = ImapTestServer.available() || inCi ? describe : describe.skip;
if (!ImapTestServer.available() && !inCi)
  console.warn('calendar-replies.e2e: dovecot (dovecot-imapd) is not installed or not root: skipped');

describeWithImap('calendar replies read from the replies mailbox', () => {
  let t: TestApp;
  let smtp: SmtpTestServer;
  let imap: ImapTestServer;
  let p: Partnership;
  let mailbox: RepliesMailbox;
  let seriesId: string;
  let meetings: Array<{ id: string; startsAt: string }>;
  const MAILBOX = 'meetings@partnership.test';
  const CHAIR = 'chair@csc.gov.test';
  const DSL = 'dsl@riverside.sch.uk';
  const VISITOR = 'health.visitor@health.nhs.test';
  const DOMAIN = 'calendar.partnership.test';

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    imap = await ImapTestServer.start();
    t = await createTestApp({
      env: {
        SMTP_URL: smtp.url,
        MEETINGS_MAILBOX: MAILBOX,
        CALENDAR_UID_DOMAIN: DOMAIN,
        REPLIES_IMAP_URL: imap.url(MAILBOX),
      },
    });
    p = await setUpPartnership(t, smtp);
    mailbox = t.app.get(RepliesMailbox);
    await outboxSettled(t, smtp);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await imap?.stop();
  });

  /** The last calendar invite `email` received, parsed. */
  function lastInvite(email: string) {
    const mail = smtp
      .to(email)
      .filter((m) => calendarParts(m).length > 0)
      .at(-1)!;
    return calendarParts(mail)[0].content;
  }

  /** A reply as a client sends it: from the attendee, METHOD:REPLY, the invite's UID and SEQUENCE, their ATTENDEE only. */
  async function reply(
    invite: string,
    opts: {
      from: string;
      attendee?: string;
      partstat: 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';
      stamp: string;
      recurrenceId?: string;
      messageId?: string;
    },
  ): Promise<Buffer> {
    const master = events(parseIcs(invite)).find((v) => !v.hasProperty('recurrence-id'))!;
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Test client//EN',
      'METHOD:REPLY',
      'BEGIN:VEVENT',
      `UID:${prop(master, 'uid')}`,
      `SEQUENCE:${prop(master, 'sequence')}`,
      `DTSTAMP:${opts.stamp}`,
      ...(opts.recurrenceId ? [`RECURRENCE-ID;TZID=Europe/London:${opts.recurrenceId}`] : []),
      `ORGANIZER:mailto:${MAILBOX}`,
      `ATTENDEE;PARTSTAT=${opts.partstat}:mailto:${opts.attendee ?? opts.from}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    return new MailComposer({
      from: opts.from,
      to: MAILBOX,
      subject: `${opts.partstat === 'ACCEPTED' ? 'Accepted' : 'Declined'}: Thresholds and Referrals Meeting`,
      messageId: opts.messageId,
      text: '',
      icalEvent: { method: 'REPLY', content: ics },
    })
      .compile()
      .build();
  }

  const expected = async (meetingId: string, token = p.chair) =>
    (await request(t.http).get(`/api/meetings/${meetingId}/expected-attendance`).set(bearer(token)).expect(200))
      .body as {
      repliesRead: boolean;
      people: Array<{ email: string; role: string; answer: string | null; agency: { name: string } | null }>;
      agencies: { coming: string[]; notComing: string[] };
    };
  const answerOf = async (meetingId: string, email: string) => {
    const person = (await expected(meetingId)).people.find((x) => x.email === email);
    return person ? person.answer : 'not listed';
  };
  /** London wall time of a meeting's start, as a RECURRENCE-ID's value. */
  const londonStamp = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(iso))
      .replace(/(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)/, '$3$2$1T$4$5$6');

  const step = story('replies through a series and a booked item');

  step('with a replies mailbox, the series invite asks its chair and core members for replies', async () => {
    const series = await createSeries(t, p, { calendarInvites: 'series', intervalWeeks: 2, horizonWeeks: 12 });
    seriesId = series.id;
    meetings = series.meetings;
    await request(t.http)
      .patch(`/api/series/${seriesId}`)
      .set(bearer(p.coordinator))
      .send({ coreMembers: [{ email: DSL }, { email: VISITOR }] })
      .expect(200);
    await outboxSettled(t, smtp);
    for (const email of [CHAIR, DSL, VISITOR]) {
      const invite = lastInvite(email);
      const master = events(parseIcs(invite)).find((v) => !v.hasProperty('recurrence-id'))!;
      expect(prop(master, 'uid')).toBe(`series-${seriesId}@${DOMAIN}`);
      const attendees = master.getAllProperties('attendee');
      expect(attendees).toHaveLength(3);
      expect(attendees.map((a) => a.getParameter('rsvp'))).toEqual(['TRUE', 'TRUE', 'TRUE']);
      // A second, independent parser reads the same object.
      expect(seriesWithNodeIcal(invite).uid).toBe(`series-${seriesId}@${DOMAIN}`);
    }
    const before = await expected(meetings[0].id);
    expect(before.repliesRead).toBe(true);
    expect(before.people.map((x) => [x.email, x.role, x.answer])).toEqual([
      [CHAIR, 'chair', null],
      [DSL, 'core-member', null],
      [VISITOR, 'core-member', null],
    ]);
  });

  step('an accept of the whole series counts for every meeting to come, and the message is marked read', async () => {
    await imap.deliver(
      MAILBOX,
      await reply(lastInvite(DSL), {
        from: `Dee Lead <${DSL.toUpperCase()}>`,
        attendee: DSL,
        partstat: 'ACCEPTED',
        stamp: '20270105T090000Z',
      }),
    );
    expect(await mailbox.readNew()).toEqual({ recorded: 1 });
    for (const meeting of meetings) expect(await answerOf(meeting.id, DSL)).toBe('accepted');
    expect(await imap.counts(MAILBOX)).toEqual({ messages: 1, unseen: 0 });
    const view = await expected(meetings[0].id, p.coordinator);
    expect(view.agencies).toEqual({ coming: ['Riverside Academy'], notComing: [] });
  });

  step('a decline of one meeting (its RECURRENCE-ID) counts for that meeting only', async () => {
    const second = meetings[1];
    await imap.deliver(
      MAILBOX,
      await reply(lastInvite(VISITOR), {
        from: VISITOR,
        partstat: 'DECLINED',
        stamp: '20270105T100000Z',
        recurrenceId: londonStamp(second.startsAt),
      }),
    );
    expect(await mailbox.readNew()).toEqual({ recorded: 1 });
    expect(await answerOf(second.id, VISITOR)).toBe('declined');
    expect(await answerOf(meetings[0].id, VISITOR)).toBeNull();
    expect((await expected(second.id)).agencies.notComing).toEqual(['Northshire Community Health']);
  });

  step(
    'an older reply arriving late, a reply for someone else, and the same message twice change nothing',
    async () => {
      const invite = lastInvite(DSL);
      // Sent before the accept (its DTSTAMP), read after it.
      await imap.deliver(MAILBOX, await reply(invite, { from: DSL, partstat: 'DECLINED', stamp: '20270104T090000Z' }));
      // Someone answering for the chair: the ATTENDEE is not the sender.
      await imap.deliver(
        MAILBOX,
        await reply(invite, {
          from: 'someone@elsewhere.test',
          attendee: CHAIR,
          partstat: 'DECLINED',
          stamp: '20270106T090000Z',
        }),
      );
      // Not one of the meeting's people at all.
      await imap.deliver(
        MAILBOX,
        await reply(invite, { from: 'deputy.dsl@riverside.sch.uk', partstat: 'DECLINED', stamp: '20270106T090000Z' }),
      );
      const twice = await reply(invite, {
        from: CHAIR,
        partstat: 'TENTATIVE',
        stamp: '20270106T100000Z',
        messageId: '<twice@client.test>',
      });
      await imap.deliver(MAILBOX, twice);
      await imap.deliver(MAILBOX, twice);
      // Far larger than any reply: not read into memory.
      await imap.deliver(
        MAILBOX,
        await new MailComposer({ from: CHAIR, to: MAILBOX, subject: 'Large', text: 'x'.repeat(1_500_000) })
          .compile()
          .build(),
      );
      expect(await mailbox.readNew()).toEqual({
        unchanged: 1,
        'ignored:sender-not-attendee': 1,
        'ignored:not-invited': 1,
        recorded: 1,
        duplicate: 1,
        'ignored:too-large': 1,
      });
      expect(await answerOf(meetings[0].id, DSL)).toBe('accepted');
      expect(await answerOf(meetings[0].id, CHAIR)).toBe('tentative');
      const audits = await t.dataSource
        .getRepository(AuditEvent)
        .countBy({ action: 'meeting.attendance-reply', entityId: meetings[0].id });
      // DSL's accept and the chair's tentative, each once.
      expect(audits).toBe(2);
      expect(await imap.counts(MAILBOX)).toMatchObject({ unseen: 0 });
    },
  );

  step('two answers of one person to one meeting at the same moment: both are read, the later one stands', async () => {
    const first = meetings[0];
    expect(await answerOf(first.id, VISITOR)).toBeNull();
    const recurrenceId = londonStamp(first.startsAt);
    const invite = lastInvite(VISITOR);
    const [tentative, accepted] = await Promise.all(
      [
        { partstat: 'TENTATIVE' as const, stamp: '20270107T090000Z' },
        { partstat: 'ACCEPTED' as const, stamp: '20270107T090500Z' },
      ].map((x) => reply(invite, { from: VISITOR, recurrenceId, ...x })),
    );
    const replies = t.app.get(CalendarRepliesService);
    const outcomes = await Promise.all([replies.receive(tentative), replies.receive(accepted)]);
    expect(outcomes).not.toContain('duplicate');
    expect(await answerOf(first.id, VISITOR)).toBe('accepted');
  });

  step('a presenter who declines their slot keeps it, and is asked by e-mail to confirm withdrawal', async () => {
    const booked = (
      await request(t.http)
        .post(`/api/meetings/${meetings[0].id}/bookings`)
        .set(bearer(p.a2))
        .send(thresholdItem({ slotIndex: 1 }))
        .expect(201)
    ).body as { id: string; reference: string };
    await outboxSettled(t, smtp);
    const invite = lastInvite('deputy.dsl@riverside.sch.uk');
    const attendee = events(parseIcs(invite))[0].getAllProperties('attendee');
    expect(attendee.map((a) => a.getParameter('rsvp'))).toEqual(['TRUE']);
    expect(parseWithNodeIcal(invite).events[0].uid).toBe(`booking-${booked.id}@${DOMAIN}`);
    const before = smtp.to('deputy.dsl@riverside.sch.uk').length;
    const decline = await reply(invite, {
      from: 'deputy.dsl@riverside.sch.uk',
      partstat: 'DECLINED',
      stamp: '20270106T110000Z',
    });
    await imap.deliver(MAILBOX, decline);
    // Two app instances reading at once: the message is acted on once.
    const [one, two] = await Promise.all([mailbox.readNew(), mailbox.readNew()]);
    expect([one, two].map((x) => x['asked-to-confirm-withdrawal'] ?? 0).reduce((a, b) => a + b)).toBe(1);
    await outboxSettled(t, smtp);
    const asked = smtp.to('deputy.dsl@riverside.sch.uk').slice(before) as ParsedMail[];
    expect(asked).toHaveLength(1);
    expect(asked[0].subject).toMatch(new RegExp(`^Still booked: .*\\(${booked.reference}\\)$`));
    expect(asked[0].text).toContain(`/bookings/${booked.id}/withdraw`);
    expect(asked[0].text).toContain('does not withdraw');
    expect(calendarParts(asked[0])).toHaveLength(0);
    // No case text in it.
    for (const text of [thresholdItem().question, thresholdItem().summary, thresholdItem().agencyReference as string])
      expect(asked[0].text).not.toContain(text);
    const item = await request(t.http).get(`/api/bookings/${booked.id}`).set(bearer(p.a2)).expect(200);
    expect(item.body.status).toBe('booked');
  });

  step('a meeting moved: the answers given for its old time are cleared, the other meetings keep theirs', async () => {
    const moved = meetings[2];
    expect(await answerOf(moved.id, DSL)).toBe('accepted');
    await request(t.http)
      .patch(`/api/meetings/${moved.id}`)
      .set(bearer(p.chair))
      .send({ startsAt: new Date(Date.parse(moved.startsAt) + 3 * 3600_000).toISOString(), reason: 'Room clash' })
      .expect(200);
    expect((await expected(moved.id)).people.map((x) => x.answer)).toEqual([null, null, null]);
    // A decline made before the move, read after it, was for the old time; one made after it counts.
    const recurrenceId = londonStamp(moved.startsAt);
    for (const stamp of ['20270104T080000Z', '20270107T080000Z'])
      await imap.deliver(
        MAILBOX,
        await reply(lastInvite(VISITOR), { from: VISITOR, partstat: 'DECLINED', stamp, recurrenceId }),
      );
    expect(await mailbox.readNew()).toEqual({ 'ignored:before-move': 1, recorded: 1 });
    expect(await answerOf(moved.id, VISITOR)).toBe('declined');
    expect(await answerOf(meetings[1].id, DSL)).toBe('accepted');
    // A place changed, not the time: the answers stand.
    await request(t.http)
      .patch(`/api/meetings/${meetings[1].id}`)
      .set(bearer(p.chair))
      .send({ location: 'Room 5, County Hall' })
      .expect(200);
    expect(await answerOf(meetings[1].id, DSL)).toBe('accepted');
    await outboxSettled(t, smtp);
  });

  step(
    'who is coming: for the chair and coordinators, on the API and on the meeting page, and no one else',
    async () => {
      await request(t.http).get(`/api/meetings/${meetings[0].id}/expected-attendance`).set(bearer(p.a1)).expect(403);
      await request(t.http)
        .get(`/api/meetings/${meetings[0].id}/expected-attendance`)
        .set(bearer(p.otherChair))
        .expect(403);
      const page = await (await webSignIn(t, smtp, CHAIR)).get(`/meetings/${meetings[1].id}`).expect(200);
      const section = page.text.slice(page.text.indexOf('id="who-is-coming"'));
      expect(section).toContain('Dee Lead');
      expect(section).toMatch(/Dee Lead[\s\S]*?Riverside Academy[\s\S]*?Core member[\s\S]*?Coming, answered/);
      expect(section).toMatch(/Harper Visitor[\s\S]*?Not coming, answered/);
      expect(section).toMatch(/Charlie Chair[\s\S]*?Chair[\s\S]*?Maybe, answered/);
      expect(section).toContain('Agencies not coming: Northshire Community Health.');
    },
  );

  step("the chair's agenda the day before says who is coming", async () => {
    const meeting = meetings[1];
    const before = smtp.to(CHAIR).length;
    // 10:00 London the day before the meeting: after REMINDER_TIME (09:00). The mail is sent then too.
    await t.clock.during(new Date(Date.parse(meeting.startsAt) - 86_400_000), async () => {
      await t.app.get(RemindersService).sendDue();
      await outboxSettled(t, smtp);
    });
    const agenda = smtp
      .to(CHAIR)
      .slice(before)
      .filter((mail) => mail.subject?.startsWith('Agenda for tomorrow'));
    expect(agenda).toHaveLength(1);
    expect(agenda[0].text).toContain(
      'Answers to the invitation: 1 coming, 1 not coming, 1 maybe, 0 not answered. Agencies coming: Riverside Academy.',
    );
  });
});
