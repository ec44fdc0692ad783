import { chooseRecipients } from './minutes-recipients';

const person = (id: string, email: string, active = true) => ({ id, email, active });

describe('chooseRecipients', () => {
  const officer = person('u-police', 'pc.jones@police.test');
  const dsl = person('u-dsl', 'dsl@school.test');
  const nurse = person('u-nurse', 'nurse@health.test');
  const gone = person('u-gone', 'gone@health.test', false);

  it('a presenter who attended, one who did not, a core member and the lead of an absent agency each get it once', () => {
    const r = chooseRecipients({
      attendees: [
        // The police officer presented and attended, on the register by account (no address typed).
        { userId: officer.id, email: null, agencyId: 'P', status: 'present' },
        { userId: null, email: 'Stranger@Elsewhere.test', agencyId: 'X', status: 'present' },
      ],
      users: [officer, dsl, nurse],
      items: [
        { agencyId: 'P', presenter: officer },
        { agencyId: 'S', presenter: dsl }, // did not attend
        { agencyId: 'S', presenter: dsl },
      ],
      coreMembers: [{ email: 'core@csc.test' }, { email: 'PC.Jones@police.test' }],
      agencyLeads: [
        { ...person('u-head', 'head@school.test'), agencyId: 'S' },
        { ...person('u-lead-h', 'lead@health.test'), agencyId: 'H' }, // no item from H
      ],
    });
    expect(r.map((x) => [x.email, x.reason])).toEqual([
      ['pc.jones@police.test', 'attendee'],
      ['dsl@school.test', 'presenter'],
      ['core@csc.test', 'core-member'],
      ['head@school.test', 'agency-lead'],
    ]);
  });

  it('finds an attendee’s account by the address typed, and never sends to a disabled account', () => {
    const r = chooseRecipients({
      attendees: [
        { userId: null, email: 'NURSE@health.test', agencyId: 'H', status: 'apologies' },
        { userId: gone.id, email: null, agencyId: 'H', status: 'present' },
      ],
      users: [nurse, gone],
      items: [{ agencyId: 'H', presenter: gone }],
      coreMembers: [],
      agencyLeads: [{ ...person('u-lead', 'lead@health.test', false), agencyId: 'H' }],
    });
    expect(r).toEqual([{ email: 'nurse@health.test', reason: 'attendee', agencyId: 'H' }]);
  });
});

describe('chooseRecipients: one address, however it is written', () => {
  it('a core member’s address with spaces around it is the same mailbox as the presenter’s, sent once', () => {
    const presenter = person('u-dsl', 'dsl@school.test');
    const r = chooseRecipients({
      attendees: [],
      users: [],
      items: [{ agencyId: 'S', presenter }],
      coreMembers: [{ email: '  DSL@school.test ' }, { email: ' core@csc.test ' }],
      agencyLeads: [],
    });
    expect(r).toEqual([
      { email: 'dsl@school.test', reason: 'presenter', agencyId: 'S' },
      { email: 'core@csc.test', reason: 'core-member', agencyId: null },
    ]);
  });
});
