import { chooseRecipients } from './minutes-recipients';

describe('chooseRecipients', () => {
  it('sends to every attendee with an e-mail, once per address', () => {
    const r = chooseRecipients(
      [
        { email: 'a@x.test', agencyId: 'A', status: 'present' },
        { email: null, agencyId: 'A', status: 'present' },
        { email: 'B@Y.test', agencyId: 'B', status: 'apologies' },
        { email: 'a@x.test', agencyId: 'A', status: 'present' },
      ],
      [],
    );
    expect(r).toEqual([
      { email: 'a@x.test', agencyId: 'A', reason: 'attendee' },
      { email: 'b@y.test', agencyId: 'B', reason: 'attendee' },
    ]);
  });

  it('adds the presenters of invited agencies nobody attended from, but not of agencies that were there', () => {
    const r = chooseRecipients(
      [
        { email: 'chair@csc.test', agencyId: 'CSC', status: 'present' },
        { email: 'gp@health.test', agencyId: 'H', status: 'apologies' },
      ],
      [
        { agencyId: 'CSC', presenterEmail: 'sw@csc.test', presenterActive: true },
        { agencyId: 'H', presenterEmail: 'hv@health.test', presenterActive: true },
        { agencyId: 'S', presenterEmail: 'dsl@school.test', presenterActive: true },
        { agencyId: 'S', presenterEmail: 'dsl@school.test', presenterActive: true },
        { agencyId: 'P', presenterEmail: 'gone@police.test', presenterActive: false },
      ],
    );
    expect(r.map((x) => [x.email, x.reason])).toEqual([
      ['chair@csc.test', 'attendee'],
      ['gp@health.test', 'attendee'],
      ['hv@health.test', 'absent-agency'],
      ['dsl@school.test', 'absent-agency'],
    ]);
  });
});
