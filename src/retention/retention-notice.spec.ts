import { Settings } from 'luxon';
import type { MinutesContent } from '../minutes/minutes-content';
import {
  eraseCarriedActions,
  eraseMinutesContent,
  erasedValue,
  isRetentionNotice,
  retentionNotice,
} from './retention-notice';

const notice = retentionNotice(new Date('2026-09-30T23:30:00Z'));

/** Just the parts of the minutes that hold case text. */
function minutes(): MinutesContent {
  return {
    general: {
      attendance: [],
      agencyFeedback: [{ bookingId: 'f1', caseText: { feedback: 'feedback text', response: null } }],
      themes: { caseText: { note: 'the note' } },
    },
    items: [
      {
        bookingId: 'i1',
        levelConsidered: 2,
        caseText: { agencyReference: 'ref 1', question: 'question 1', summary: 'summary 1', advice: 'advice 1' },
      },
      {
        bookingId: 'held',
        levelConsidered: 3,
        caseText: { agencyReference: 'ref h', question: null, summary: 'summary h', advice: 'advice h' },
      },
    ],
    actions: [
      { id: 'a1', item: { bookingId: 'i1' }, caseText: { description: 'action 1' } },
      { id: 'a2', item: { bookingId: 'held' }, caseText: { description: 'action h' } },
      { id: 'a3', item: null, caseText: { description: 'general action' } },
    ],
    deferred: [],
  } as unknown as MinutesContent;
}

describe('the retention notice', () => {
  it('names the London date of the erasure and fits the shortest erased column (60 characters)', () => {
    expect(notice).toBe('removed under the retention policy on 1 October 2026');
    expect(retentionNotice(new Date('2026-09-28T12:00:00Z')).length).toBeLessThanOrEqual(60);
    expect(isRetentionNotice(notice)).toBe(true);
    expect(isRetentionNotice('removed under the retention policy on Tuesday')).toBe(false);
  });

  it('is written in British English whatever the machine’s locale', () => {
    const before = Settings.defaultLocale;
    Settings.defaultLocale = 'fr-FR';
    try {
      expect(retentionNotice(new Date('2026-09-30T23:30:00Z'))).toBe(
        'removed under the retention policy on 1 October 2026',
      );
    } finally {
      Settings.defaultLocale = before;
    }
  });

  it('replaces text, keeps null, and leaves an earlier notice as it was', () => {
    expect(erasedValue('some text', notice)).toBe(notice);
    expect(erasedValue(null, notice)).toBeNull();
    const earlier = retentionNotice(new Date('2026-01-05T12:00:00Z'));
    expect(erasedValue(earlier, notice)).toBe(earlier);
  });
});

describe('eraseMinutesContent', () => {
  it('erases every section except those of held items, and keeps structured fields', () => {
    const result = eraseMinutesContent(minutes(), new Set(['held']), notice);
    const c = result.content;
    expect(c.items[0].caseText).toEqual({ agencyReference: notice, question: notice, summary: notice, advice: notice });
    expect(c.items[0].levelConsidered).toBe(2);
    expect(c.items[1].caseText).toEqual({
      agencyReference: 'ref h',
      question: null,
      summary: 'summary h',
      advice: 'advice h',
    });
    expect(c.general.agencyFeedback[0].caseText).toEqual({ feedback: notice, response: null });
    expect(c.general.themes.caseText.note).toBe(notice);
    expect(c.actions.map((a) => a.caseText.description)).toEqual([notice, 'action h', notice]);
    expect(result).toMatchObject({
      bookingIds: ['i1', 'f1'],
      actionIds: ['a1', 'a3'],
      themesNote: true,
      textLeft: true,
    });
  });

  it('erases names and roles in the attendance register whatever the holds, and says so', () => {
    const content = minutes();
    content.general.attendance = [
      {
        attendees: [
          { name: 'Dee Lead', role: 'DSL', agencyId: 'a' },
          { name: null, role: 'Health visitor', agencyId: 'b' },
          { name: null, role: null, agencyId: 'c' },
        ],
      },
    ] as unknown as MinutesContent['general']['attendance'];
    const result = eraseMinutesContent(content, new Set(['held', 'i1', 'f1']), notice);
    expect(result.attendees).toBe(true);
    expect(result.content.general.attendance[0].attendees).toEqual([
      { name: notice, role: null, agencyId: 'a' },
      { name: null, role: null, agencyId: 'b' },
      { name: null, role: null, agencyId: 'c' },
    ]);
    // Nothing left to erase: the second time changes nothing and says nothing was erased.
    const again = eraseMinutesContent(result.content, new Set(['held', 'i1', 'f1']), notice);
    expect(again.attendees).toBe(false);
    expect(again.content.general.attendance).toEqual(result.content.general.attendance);
    // Without any register, nothing is said erased.
    expect(eraseMinutesContent(minutes(), new Set(), notice).attendees).toBe(false);
  });

  it('erases a MASH reference beside an item, and where a referral should have gone, even with no other text', () => {
    const content = minutes();
    content.items = [
      {
        bookingId: 'm1',
        caseText: { agencyReference: null, question: null, summary: null, advice: null },
        mashReference: 'MASH/2026/1234',
        outcome: { referralQuality: { misdirectedTo: 'Early help hub', timely: true } },
      },
    ] as unknown as MinutesContent['items'];
    const result = eraseMinutesContent(content, new Set(), notice);
    expect(result.bookingIds).toContain('m1');
    expect(result.content.items[0]).toMatchObject({
      mashReference: null,
      outcome: { referralQuality: { misdirectedTo: null, timely: true } },
    });
  });

  it('erases an action’s owner name even when its description is gone', () => {
    const content = minutes();
    content.actions = [
      { id: 'o1', item: null, caseText: { description: null }, ownerName: 'Pat Owner' },
    ] as unknown as MinutesContent['actions'];
    const result = eraseMinutesContent(content, new Set(), notice);
    expect(result.actionIds).toEqual(['o1']);
    expect(result.content.actions[0]).toMatchObject({ ownerName: null });
  });

  it('writes the date as day, month name and year', () => {
    expect(retentionNotice(new Date('2027-03-05T12:00:00Z'))).toBe(
      'removed under the retention policy on 5 March 2027',
    );
  });

  it('starts every notice with the same words', () => {
    expect(notice.startsWith('removed under the retention policy on ')).toBe(true);
  });

  it('changes nothing the second time, even on a later day', () => {
    const once = eraseMinutesContent(minutes(), new Set(), notice).content;
    const twice = eraseMinutesContent(once, new Set(), retentionNotice(new Date('2026-10-02T12:00:00Z')));
    expect(twice.content).toEqual(once);
    expect(twice).toMatchObject({ bookingIds: [], actionIds: [], themesNote: false, textLeft: false });
  });

  it('erases carried-forward copies of erased actions only', () => {
    const result = eraseCarriedActions(minutes(), new Set(['a3', 'unknown']), notice);
    expect(result.actionIds).toEqual(['a3']);
    expect(result.content.actions.map((a) => a.caseText.description)).toEqual(['action 1', 'action h', notice]);
  });

  it('leaves a carried action whose description is already gone (null) alone', () => {
    const content = minutes();
    content.actions = [
      { id: 'n1', item: null, caseText: { description: null } },
    ] as unknown as MinutesContent['actions'];
    const result = eraseCarriedActions(content, new Set(['n1']), notice);
    expect(result.actionIds).toEqual([]);
    expect(result.content.actions).toEqual(content.actions);
  });
});
