import * as fs from 'node:fs';
import * as path from 'node:path';
import { simpleParser } from 'mailparser';
import * as nodeIcal from 'node-ical';
import { readReply } from './reply-reader';

const golden = (name: string) => fs.readFileSync(path.join(__dirname, 'golden', name));
const UID = 'series-6f1d2c3b-0a4e-4b5f-8c7d-1e2f3a4b5c6d@calendar.partnership.test';

/** A reply as a client writes it: one VEVENT per answer, from `from`, with `attendees` listed. */
function reply(opts: {
  from?: string;
  method?: string;
  attendees?: string[];
  partstat?: string;
  uid?: string;
  extra?: string[];
  events?: string[][];
  contentType?: string;
}): string {
  const attendees = (opts.attendees ?? ['pat@police.test']).map(
    (a) => `ATTENDEE;PARTSTAT=${opts.partstat ?? 'ACCEPTED'}:mailto:${a}`,
  );
  const vevent = (lines: string[]) => [
    'BEGIN:VEVENT',
    `UID:${opts.uid ?? UID}`,
    'DTSTAMP:20270308T091402Z',
    'SEQUENCE:1',
    ...attendees,
    ...lines,
    'END:VEVENT',
  ];
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//EN',
    `METHOD:${opts.method ?? 'REPLY'}`,
    ...(opts.events ?? [opts.extra ?? []]).flatMap(vevent),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return [
    ...(opts.from === '' ? [] : [`From: ${opts.from ?? 'Pat <pat@police.test>'}`]),
    'To: meetings@partnership.test',
    'Subject: Accepted',
    'Message-ID: <reply-1@client.test>',
    'MIME-Version: 1.0',
    `Content-Type: ${opts.contentType ?? 'text/calendar; method=REPLY; charset=utf-8'}`,
    '',
    ics,
  ].join('\r\n');
}

describe('readReply: an iMIP REPLY read from the replies mailbox', () => {
  it("reads Outlook's accept of a whole series: the attendee is the sender, whatever the case of the address", async () => {
    const read = await readReply(golden('outlook-accept.reply.mime'));
    expect(read).toEqual({
      messageId: '<AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>',
      reply: {
        attendee: 'pat.jones@police.test',
        uid: UID,
        sequence: 2,
        stamp: new Date('2027-03-08T09:14:02Z'),
        parts: [{ recurrenceId: null, answer: 'accepted' }],
      },
    });
  });

  it("reads Google's decline of one instance (its RECURRENCE-ID in London time, no VTIMEZONE sent), once though it is attached twice", async () => {
    const read = await readReply(golden('google-decline-instance.reply.mime'));
    expect(read).toEqual({
      messageId: '<0000000000001a2b3c05f0d1e2f3@google.com>',
      reply: {
        attendee: 'dsl@riverside.sch.uk',
        uid: UID,
        sequence: 3,
        stamp: new Date('2027-03-09T16:01:02Z'),
        parts: [{ recurrenceId: new Date('2027-03-22T09:30:00Z'), answer: 'declined' }],
      },
    });
  });

  it('reads each answer of a reply to a series and some of its instances, in summer time and in UTC', async () => {
    const read = await readReply(
      reply({
        partstat: 'TENTATIVE',
        events: [[], ['RECURRENCE-ID;TZID=Europe/London:20270705T093000'], ['RECURRENCE-ID:20270719T083000Z']],
      }),
    );
    expect('reply' in read && read.reply.parts).toEqual([
      { recurrenceId: null, answer: 'tentative' },
      { recurrenceId: new Date('2027-07-05T08:30:00Z'), answer: 'tentative' },
      { recurrenceId: new Date('2027-07-19T08:30:00Z'), answer: 'tentative' },
    ]);
  });

  it('takes only the sender among several attendees, so nobody answers for someone else', async () => {
    const read = await readReply(reply({ attendees: ['chair@csc.gov.test', 'pat@police.test'] }));
    expect('reply' in read && read.reply.attendee).toBe('pat@police.test');
    expect(await readReply(reply({ attendees: ['chair@csc.gov.test'] }))).toEqual({
      messageId: '<reply-1@client.test>',
      ignored: 'sender-not-attendee',
    });
  });

  it.each([
    ['an invitation (METHOD:REQUEST)', reply({ method: 'REQUEST' }), 'not-a-reply'],
    ['a message with no calendar', 'From: a@b.test\r\nSubject: hi\r\n\r\nHello\r\n', 'not-a-reply'],
    ['a reply with no From', reply({ from: '' }), 'no-sender'],
    ['a delegation (no answer this service records)', reply({ partstat: 'DELEGATED' }), 'no-answer'],
    [
      'answers to two calendar objects',
      reply({ events: [[]] }).replace(
        'END:VCALENDAR',
        [
          'BEGIN:VEVENT',
          'UID:other@x.test',
          'DTSTAMP:20270308T091402Z',
          'ATTENDEE;PARTSTAT=ACCEPTED:mailto:pat@police.test',
          'END:VEVENT',
          'END:VCALENDAR',
        ].join('\r\n'),
      ),
      'several-objects',
    ],
    [
      'a calendar part that does not parse',
      reply({}).replace('BEGIN:VEVENT', 'BEGIN:VEVENT\r\nno colon here'),
      'not-a-reply',
    ],
  ])('leaves alone %s', async (_what, raw, reason) => {
    expect(await readReply(raw)).toMatchObject({ ignored: reason });
    expect('reply' in (await readReply(raw))).toBe(false);
  });

  it.each(['outlook-accept.reply.mime', 'google-decline-instance.reply.mime'])(
    'agrees with a second parser (node-ical) on %s: the UID, the attendee, the answer and the instance',
    async (name) => {
      const read = await readReply(golden(name));
      if (!('reply' in read)) throw new Error('not read');
      const mail = await simpleParser(golden(name));
      const part = mail.attachments.find((a) => a.contentType === 'text/calendar')!;
      const vevents = Object.values(nodeIcal.sync.parseICS(part.content.toString('utf8'))).filter(
        (c) => c?.type === 'VEVENT',
      ) as Array<Record<string, unknown>>;
      expect(vevents).toHaveLength(1);
      const [event] = vevents;
      expect(event.uid).toBe(read.reply.uid);
      const attendee = event.attendee as { val: string; params: Record<string, string> };
      expect(attendee.val.replace(/^mailto:/i, '').toLowerCase()).toBe(read.reply.attendee);
      expect(attendee.params.PARTSTAT.toLowerCase()).toBe(read.reply.parts[0].answer);
      const recurrenceId = event.recurrenceid as Date | undefined;
      expect(recurrenceId?.toISOString() ?? null).toBe(read.reply.parts[0].recurrenceId?.toISOString() ?? null);
    },
  );

  it('reads an attendee written MAILTO: with spaces; a RECURRENCE-ID in its own zone, or with no zone or a Windows one as London time', async () => {
    const raw = reply({
      attendees: [],
      events: [
        ['ATTENDEE;PARTSTAT=DECLINED:MAILTO: Pat@Police.test ', 'RECURRENCE-ID:20270705T093000'],
        ['ATTENDEE;PARTSTAT=DECLINED:mailto:pat@police.test', 'RECURRENCE-ID;TZID=GMT Standard Time:20270719T093000'],
        // A zone it names and luxon knows is honoured.
        ['ATTENDEE;PARTSTAT=DECLINED:mailto:pat@police.test', 'RECURRENCE-ID;TZID=Europe/Paris:20270802T103000'],
      ],
    });
    const read = await readReply(raw);
    expect('reply' in read && read.reply.parts).toEqual([
      { recurrenceId: new Date('2027-07-05T08:30:00Z'), answer: 'declined' },
      { recurrenceId: new Date('2027-07-19T08:30:00Z'), answer: 'declined' },
      { recurrenceId: new Date('2027-08-02T08:30:00Z'), answer: 'declined' },
    ]);
  });

  it('reads a reply with no DTSTAMP as the oldest possible, so it never overrides another answer', async () => {
    const read = await readReply(reply({}).replace('DTSTAMP:20270308T091402Z\r\n', ''));
    expect('reply' in read && read.reply.stamp).toEqual(new Date(0));
  });

  it.each([
    [
      'a message from the organizer itself (a loop): it is no attendee',
      reply({ from: 'meetings@partnership.test', extra: ['ORGANIZER:mailto:meetings@partnership.test'] }),
      'sender-not-attendee',
    ],
    ['a REPLY with no UID', reply({}).replace(/UID:[^\r]*\r\n/, ''), 'not-a-reply'],
    ['a REPLY with no event in it', reply({ events: [] }), 'not-a-reply'],
  ])('leaves alone %s', async (_what, raw, reason) => {
    expect(await readReply(raw)).toMatchObject({ ignored: reason });
  });

  it('reads only calendar parts: a reply pasted into a text attachment is not one', async () => {
    const ics = reply({}).split('\r\n\r\n').slice(1).join('\r\n\r\n');
    const attached = (type: string, filename: string) =>
      [
        'From: pat@police.test',
        'To: meetings@partnership.test',
        'Subject: Fwd',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'See attached.',
        '--b',
        `Content-Type: ${type}; name="${filename}"`,
        `Content-Disposition: attachment; filename="${filename}"`,
        '',
        ics,
        '--b--',
        '',
      ].join('\r\n');
    expect(await readReply(attached('text/plain', 'reply.ics.txt'))).toMatchObject({ ignored: 'not-a-reply' });
    expect(await readReply(attached('application/octet-stream', 'notes.txt'))).toMatchObject({
      ignored: 'not-a-reply',
    });
    // A .ics file sent as a generic attachment is one.
    expect(await readReply(attached('application/octet-stream', 'Reply.ICS'))).toMatchObject({
      reply: { attendee: 'pat@police.test' },
    });
  });

  it('reads a reply sent as application/ics or as a .ics file', async () => {
    const asIcs = await readReply(reply({ contentType: 'application/ics' }));
    expect('reply' in asIcs && asIcs.reply.parts).toEqual([{ recurrenceId: null, answer: 'accepted' }]);
  });
});
