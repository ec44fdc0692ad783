import { ItemRef, meetingAccess, ReaderFacts, seesItemHistory, seesMeetingRecord } from './need-to-know.rule';

const items: ItemRef[] = [
  { id: 'school-item', agencyId: 'school', presenterUserId: 'dsl' },
  { id: 'school-item-2', agencyId: 'school', presenterUserId: 'deputy' },
  { id: 'health-item', agencyId: 'health', presenterUserId: 'nurse' },
];

const nobody = (userId: string): ReaderFacts => ({
  userId,
  runsMeeting: false,
  leadOfAgencyId: null,
  attendance: [],
  coreMember: false,
});
const ids = (facts: ReaderFacts) => [...meetingAccess(facts, items).itemIds].sort();

describe('the need-to-know rule', () => {
  it('1. the chair of the meeting and coordinators see everything', () => {
    const access = meetingAccess({ ...nobody('chair'), runsMeeting: true }, items);
    expect(access).toMatchObject({ full: true, general: true });
    expect([...access.itemIds].sort()).toEqual(['health-item', 'school-item', 'school-item-2']);
  });

  it('5. an item’s history is seen by those who run its meeting only, not its presenter, lead or attendees', () => {
    expect(seesItemHistory(meetingAccess({ ...nobody('chair'), runsMeeting: true }, items))).toBe(true);
    expect(seesItemHistory(meetingAccess(nobody('dsl'), items))).toBe(false);
    expect(seesItemHistory(meetingAccess({ ...nobody('lead'), leadOfAgencyId: 'school' }, items))).toBe(false);
    const whole = { ...nobody('police'), attendance: [{ present: true, wholeMeeting: true, itemIds: [] }] };
    expect(seesItemHistory(meetingAccess(whole, items))).toBe(false);
  });

  it('2a. a presenter sees their own item and the general part, not a colleague’s item', () => {
    expect(ids(nobody('dsl'))).toEqual(['school-item']);
    expect(meetingAccess(nobody('dsl'), items)).toMatchObject({ full: false, general: true });
  });

  it('2b. someone recorded as present for an item sees that item; present for the whole meeting, every item', () => {
    const forOne = {
      ...nobody('police'),
      attendance: [{ present: true, wholeMeeting: false, itemIds: ['health-item'] }],
    };
    expect(ids(forOne)).toEqual(['health-item']);
    const whole = { ...nobody('police'), attendance: [{ present: true, wholeMeeting: true, itemIds: [] }] };
    expect(ids(whole)).toEqual(['health-item', 'school-item', 'school-item-2']);
  });

  it('2b. sending apologies or being absent is not attending: general part only if otherwise connected', () => {
    const apologies = { ...nobody('police'), attendance: [{ present: false, wholeMeeting: true, itemIds: [] }] };
    expect(ids(apologies)).toEqual([]);
    expect(meetingAccess(apologies, items).general).toBe(false);
  });

  it('2c. an agency lead sees every item their agency brought, and the general part', () => {
    const lead = { ...nobody('head'), leadOfAgencyId: 'school' };
    expect(ids(lead)).toEqual(['school-item', 'school-item-2']);
    expect(meetingAccess(lead, items).general).toBe(true);
  });

  it('3. an invited core member sees the general part but no item', () => {
    const core = { ...nobody('core'), coreMember: true };
    expect(meetingAccess(core, items)).toMatchObject({ full: false, general: true });
    expect(ids(core)).toEqual([]);
  });

  it('4. a colleague of the same agency who neither presented nor attended sees nothing (404)', () => {
    const colleague = nobody('another-teacher');
    const access = meetingAccess(colleague, items);
    expect(access).toMatchObject({ full: false, general: false });
    expect(seesMeetingRecord(access)).toBe(false);
  });

  it('4. an agency lead of an agency with no item on this meeting sees nothing of it', () => {
    const access = meetingAccess({ ...nobody('police-lead'), leadOfAgencyId: 'police' }, items);
    expect(seesMeetingRecord(access)).toBe(false);
  });
});

describe('the need-to-know rule: attendance alone, and whether the record exists for a reader', () => {
  it('someone present for one item only (not presenting, not a core member or lead) sees the general part', () => {
    const attendee = {
      ...nobody('visitor'),
      attendance: [{ present: true, wholeMeeting: false, itemIds: ['health-item'] }],
    };
    expect(meetingAccess(attendee, items)).toMatchObject({ full: false, general: true });
    expect(ids(attendee)).toEqual(['health-item']);
  });

  it('the record exists for anyone with full access, the general part, or one item; for nobody else', () => {
    const none = new Set<string>();
    expect(seesMeetingRecord({ full: true, general: false, itemIds: none })).toBe(true);
    expect(seesMeetingRecord({ full: false, general: true, itemIds: none })).toBe(true);
    expect(seesMeetingRecord({ full: false, general: false, itemIds: new Set(['school-item']) })).toBe(true);
    expect(seesMeetingRecord({ full: false, general: false, itemIds: none })).toBe(false);
  });
});
