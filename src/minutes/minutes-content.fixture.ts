import type { MinutesContent } from './minutes-content';

/**
 * Minutes content for unit tests: two agencies, an item each, an agency-feedback item, actions
 * general and linked, a carried-forward item. Every case-text field holds a recognisable word.
 */
export const A = { id: 'agency-a', name: 'Riverside Academy' };
export const B = { id: 'agency-b', name: 'Community Health' };

export function item(id: string, agency: { id: string; name: string }): MinutesContent['items'][number] {
  return {
    bookingId: id,
    reference: `TRM-${id}`,
    kind: 'threshold-consultation',
    kindLabel: 'Threshold consultation',
    slotIndex: 0,
    startsAt: '2027-01-11T10:00:00.000Z',
    agency,
    presenter: { name: `presenter of ${id}` },
    ageBand: '5-10',
    concernCategories: [{ code: 'neglect', label: 'Neglect' }],
    levelConsidered: 2,
    mashReference: null,
    referralDate: null,
    deferrals: 0,
    outcome: null,
    caseText: {
      agencyReference: `ref ${id}`,
      question: `question ${id}`,
      summary: `summary ${id}`,
      advice: `advice ${id}`,
    },
  };
}

export function action(
  id: string,
  linked: { bookingId: string; agencyId: string; kind: string } | null,
): MinutesContent['actions'][number] {
  return {
    id,
    raisedAt: { meetingId: 'm1', title: 'TRM', startsAt: '2027-01-11T10:00:00.000Z' },
    carriedForward: false,
    ownerAgency: A,
    ownerName: null,
    dueDate: '2027-02-01',
    status: 'open',
    closedReason: null,
    overdue: false,
    item: linked ? { ...linked, reference: `TRM-${linked.bookingId}` } : null,
    caseText: { description: `action ${id}` },
  };
}

export const content: MinutesContent = {
  schemaVersion: 1,
  composedAt: '2027-01-11T12:00:00.000Z',
  meeting: {
    id: 'm1',
    seriesId: 's1',
    title: 'TRM',
    startsAt: '2027-01-11T10:00:00.000Z',
    endsAt: '2027-01-11T12:00:00.000Z',
    location: null,
    chair: null,
  },
  confidentialityStatement: 'Confidential.',
  general: {
    attendance: [
      {
        agency: A,
        attendees: [
          {
            name: 'Dana',
            role: null,
            status: 'present',
            wholeMeeting: false,
            items: [{ bookingId: 'a1', reference: 'TRM-a1' }],
            confidentialityAccepted: true,
          },
        ],
      },
      {
        agency: B,
        attendees: [
          {
            name: 'Helen',
            role: null,
            status: 'present',
            wholeMeeting: false,
            items: [
              { bookingId: 'b1', reference: 'TRM-b1' },
              { bookingId: 'fb', reference: 'TRM-fb' },
            ],
            confidentialityAccepted: true,
          },
        ],
      },
    ],
    agencyFeedback: [
      {
        bookingId: 'fb',
        reference: 'TRM-fb',
        agency: B,
        presenter: { name: 'Helen' },
        responded: true,
        caseText: { feedback: 'feedback fb', response: 'response fb' },
      },
    ],
    themes: {
      itemsDiscussed: 3,
      outcomesRecorded: 0,
      itemsDeferred: 1,
      byKind: [],
      byConcernCategory: [{ code: 'neglect', label: 'Neglect', count: 2 }],
      byLevelAdvised: [],
      byPathway: [],
      referralQuality: { reviewed: 0, timely: 0, complete: 0, appropriate: 0, issues: [] },
      caseText: { note: 'note' },
    },
  },
  items: [item('a1', A), item('b1', B)],
  actions: [
    action('general', null),
    action('for-a1', { bookingId: 'a1', agencyId: A.id, kind: 'threshold-consultation' }),
    action('for-b1', { bookingId: 'b1', agencyId: B.id, kind: 'threshold-consultation' }),
    action('for-feedback', { bookingId: 'fb', agencyId: B.id, kind: 'agency-feedback' }),
  ],
  deferred: [
    {
      bookingId: 'b2',
      reference: 'TRM-b2',
      agency: B,
      toMeeting: { id: 'm2', title: 'TRM', startsAt: '2027-01-25T10:00:00.000Z' },
      placement: 'booked',
    },
  ],
};
