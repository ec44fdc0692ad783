import type { CalendarReply } from './reply-reader';
import { AnsweredMeeting, answersByMeeting, replyTarget } from './reply-targets';

const ID = '6f1d2c3b-0a4e-4b5f-8c7d-1e2f3a4b5c6d';
const DOMAIN = 'calendar.partnership.test';

describe('replyTarget: which object a reply answers, from its UID', () => {
  it.each([
    [`booking-${ID}@${DOMAIN}`, { kind: 'booking', id: ID }],
    [`meeting-${ID}@${DOMAIN}`, { kind: 'meeting', id: ID }],
    [`series-${ID}@${DOMAIN}`, { kind: 'series', id: ID }],
    // Some clients change the case of what they echo back.
    [`SERIES-${ID.toUpperCase()}@CALENDAR.PARTNERSHIP.TEST`, { kind: 'series', id: ID }],
  ])('reads %s', (uid, target) => {
    expect(replyTarget(uid, DOMAIN)).toEqual(target);
  });

  it.each([
    [`series-${ID}@other.test`, 'another domain'],
    [`series-${ID}@${DOMAIN}.evil.test`, 'a domain that only starts with ours'],
    [`minutes-${ID}@${DOMAIN}`, 'a kind this service never sends'],
    [`series-${ID.slice(1)}@${DOMAIN}`, 'an id that is not a UUID'],
    [`x-series-${ID}@${DOMAIN}`, 'text before the kind'],
    [`series-${ID}`, 'no domain'],
  ])('refuses %s (%s)', (uid) => {
    expect(replyTarget(uid, DOMAIN)).toBeNull();
  });
});

describe('answersByMeeting: which meeting each answer is for', () => {
  const now = new Date('2027-03-01T12:00:00Z');
  const meeting = (id: string, date: string, status = 'scheduled'): AnsweredMeeting => ({
    id,
    occurrenceDate: date,
    startsAt: new Date(`${date}T10:00:00Z`),
    status,
  });
  const past = meeting('past', '2027-02-22');
  const next = meeting('next', '2027-03-08');
  const later = meeting('later', '2027-03-22');
  const cancelled = meeting('cancelled', '2027-04-05', 'cancelled');
  const all = [past, next, later, cancelled];
  const reply = (parts: CalendarReply['parts']): CalendarReply => ({
    attendee: 'pat@police.test',
    uid: `series-${ID}@${DOMAIN}`,
    sequence: 1,
    stamp: now,
    parts,
  });

  it('gives a whole-series answer to no meeting that has begun', () => {
    const begun = { ...next, startsAt: now };
    expect(answersByMeeting('series', [begun], reply([{ recurrenceId: null, answer: 'accepted' }]), now).size).toBe(0);
  });

  it('gives a whole-series answer to every scheduled meeting still to come', () => {
    expect([...answersByMeeting('series', all, reply([{ recurrenceId: null, answer: 'accepted' }]), now)]).toEqual([
      ['next', 'accepted'],
      ['later', 'accepted'],
    ]);
  });

  it("gives an instance's answer to the meeting of that date (its RECURRENCE-ID in London), past or not, over the series' answer", () => {
    const answers = answersByMeeting(
      'series',
      all,
      reply([
        // Listed first, still applied last.
        { recurrenceId: new Date('2027-03-22T10:00:00Z'), answer: 'declined' },
        { recurrenceId: null, answer: 'accepted' },
        { recurrenceId: new Date('2027-02-22T10:00:00Z'), answer: 'tentative' },
        // 23:30 UTC on 7 March is still 7 March in London in winter: no meeting then.
        { recurrenceId: new Date('2027-03-07T23:30:00Z'), answer: 'declined' },
      ]),
      now,
    );
    expect(Object.fromEntries(answers)).toEqual({ next: 'accepted', later: 'declined', past: 'tentative' });
  });

  it("reads an instance's date in London: 23:30 UTC on a summer evening is the next day there", () => {
    const summer = meeting('summer', '2027-07-06');
    const answers = answersByMeeting(
      'series',
      [summer],
      reply([{ recurrenceId: new Date('2027-07-05T23:30:00Z'), answer: 'declined' }]),
      now,
    );
    expect(Object.fromEntries(answers)).toEqual({ summer: 'declined' });
  });

  it('takes no answer for a cancelled meeting, by series or by instance', () => {
    const answers = answersByMeeting(
      'series',
      all,
      reply([{ recurrenceId: new Date('2027-04-05T09:00:00Z'), answer: 'accepted' }]),
      now,
    );
    expect(answers.size).toBe(0);
    expect(
      answersByMeeting('meeting', [cancelled], reply([{ recurrenceId: null, answer: 'accepted' }]), now).size,
    ).toBe(0);
  });

  it("gives a meeting's own invite the reply's last answer, even once the meeting has passed", () => {
    const answers = answersByMeeting(
      'meeting',
      [past],
      reply([
        { recurrenceId: null, answer: 'tentative' },
        { recurrenceId: null, answer: 'accepted' },
      ]),
      now,
    );
    expect(Object.fromEntries(answers)).toEqual({ past: 'accepted' });
  });
});
