import { content } from './minutes-content.fixture';
import { scrubCaseText } from './minutes-content';
import { itemIdsIn, minutesScope, visibleMinutes } from './minutes-visibility';

describe('visibleMinutes', () => {
  it('gives the full minutes to the full scope, unchanged', () => {
    expect(visibleMinutes(content, { kind: 'full' })).toBe(content);
  });

  const extract = (...ids: string[]) => ({ kind: 'extract' as const, itemIds: new Set(ids) });

  it('gives an extract the general part and only the items it may see, their actions and deferrals', () => {
    const a = visibleMinutes(content, extract('a1'));
    expect(a.items.map((i) => i.bookingId)).toEqual(['a1']);
    expect(a.actions.map((x) => x.id)).toEqual(['general', 'for-a1', 'for-feedback']);
    expect(a.deferred).toEqual([]);
    expect(a.general.agencyFeedback).toEqual(content.general.agencyFeedback);
    expect(a.general.themes).toEqual(content.general.themes);
    expect(JSON.stringify(a)).not.toMatch(/summary b1|advice b1|question b1|ref b1|action for-b1|TRM-b1|TRM-b2/);

    const b = visibleMinutes(content, extract('b1', 'b2'));
    expect(b.items.map((i) => i.bookingId)).toEqual(['b1']);
    expect(b.deferred.map((d) => d.bookingId)).toEqual(['b2']);
    expect(JSON.stringify(b)).not.toMatch(/summary a1|advice a1|TRM-a1/);
  });

  it('shows everyone who attended from which agency, but not which other items they came for', () => {
    const a = visibleMinutes(content, extract('a1'));
    expect(a.general.attendance.map((g) => g.attendees.map((x) => x.name))).toEqual([['Dana'], ['Helen']]);
    expect(a.general.attendance[1].attendees[0]).toMatchObject({
      wholeMeeting: false,
      items: [{ bookingId: 'fb', reference: 'TRM-fb' }],
    });
    expect(a.general.attendance[0].attendees[0].items).toEqual([{ bookingId: 'a1', reference: 'TRM-a1' }]);
  });

  it('gives someone connected with the meeting but with no item of theirs the general part only', () => {
    const none = visibleMinutes(content, extract());
    expect(none.items).toEqual([]);
    expect(none.deferred).toEqual([]);
    expect(none.actions.map((x) => x.id)).toEqual(['general', 'for-feedback']);
  });

  it('does not change the content it is given', () => {
    const before = JSON.stringify(content);
    visibleMinutes(content, extract('a1'));
    expect(JSON.stringify(content)).toBe(before);
  });
});

describe('minutesScope', () => {
  it('is full for full access, an extract for general or item access, and nothing otherwise', () => {
    expect(minutesScope({ full: true, general: true, itemIds: new Set(['a1']) })).toEqual({ kind: 'full' });
    expect(minutesScope({ full: false, general: true, itemIds: new Set() })).toEqual({
      kind: 'extract',
      itemIds: new Set(),
    });
    expect(minutesScope({ full: false, general: false, itemIds: new Set(['a1']) })).toEqual({
      kind: 'extract',
      itemIds: new Set(['a1']),
    });
    expect(minutesScope({ full: false, general: false, itemIds: new Set() })).toBeNull();
  });

  it('lists every item the minutes mention, once', () => {
    expect(itemIdsIn(content).sort()).toEqual(['a1', 'b1', 'b2', 'fb']);
  });
});

describe('scrubCaseText', () => {
  it('erases every caseText value and keeps every structured field', () => {
    const scrubbed = scrubCaseText(content);
    expect(scrubbed.items[0].caseText).toEqual({ agencyReference: null, question: null, summary: null, advice: null });
    expect(scrubbed.general.agencyFeedback[0].caseText).toEqual({ feedback: null, response: null });
    expect(scrubbed.actions.every((a) => a.caseText.description === null)).toBe(true);
    expect(scrubbed.general.themes.caseText).toEqual({ note: null });
    expect(scrubbed.items[0]).toMatchObject({
      reference: 'TRM-a1',
      concernCategories: [{ code: 'neglect', label: 'Neglect' }],
      levelConsidered: 2,
    });
    expect(scrubbed.general.themes.byConcernCategory).toEqual(content.general.themes.byConcernCategory);
    expect(JSON.stringify(scrubbed)).not.toMatch(
      /summary a1|advice b1|ref a1|feedback fb|response fb|action general|"note":"note"/,
    );
    expect(content.items[0].caseText.summary).toBe('summary a1'); // the input is left alone
  });
});
