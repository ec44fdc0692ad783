import { parseEmailAddress } from './email-address';

describe('the one e-mail address rule', () => {
  it.each([
    ['  Jo.Bloggs@Riverside.SCH.uk ', 'jo.bloggs@riverside.sch.uk'],
    ["o'brien@school.sch.uk", "o'brien@school.sch.uk"],
    ['o\u2019brien@school.sch.uk', "o'brien@school.sch.uk"],
    ['name+tag@health.nhs.test', 'name+tag@health.nhs.test'],
    ['\uff41\uff4c\uff49\uff43\uff45@school.sch.uk', 'alice@school.sch.uk'], // full-width: the same mailbox
    ['juergen@münchen.de', 'juergen@xn--mnchen-3ya.de'], // an IDN domain, stored as punycode
  ])('%p is stored as %p', (raw, stored) => {
    expect(parseEmailAddress(raw)).toEqual({ ok: true, email: stored, domain: stored.split('@')[1] });
  });

  it.each([
    ['mal#1@school.sch.uk', 'local-part'],
    ['a%b@school.sch.uk', 'local-part'],
    ['ALİCE@school.sch.uk', 'local-part'], // a dotted capital I: not a-z once in lower case
    ['ali\u200bce@school.sch.uk', 'local-part'], // zero-width space
    ['alic\u0065\u0301@school.sch.uk', 'local-part'], // decomposed é
    ['\u0430lice@school.sch.uk', 'look-alike'], // Cyrillic а
    ['alice@r\u0456verside.sch.uk', 'look-alike'], // Cyrillic і in the domain
    ['"jo bloggs"@school.sch.uk', 'local-part'],
    ['jo..bloggs@school.sch.uk', 'local-part'],
    ['.jo@school.sch.uk', 'local-part'],
    ['jo@localhost', 'domain'],
    ['jo@-school.sch.uk', 'domain'],
    ['jo@school.sch.uk\r\nBcc: x@y.z', 'format'],
    ['no-at-sign', 'format'],
    ['a@b@c.test', 'format'],
    ['', 'format'],
  ])('%p is refused (%s)', (raw, problem) => {
    expect(parseEmailAddress(raw)).toEqual({ ok: false, problem });
  });

  it('refuses anything that is not a string, and addresses over 254 characters', () => {
    expect(parseEmailAddress(42)).toEqual({ ok: false, problem: 'format' });
    expect(parseEmailAddress(`${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.test`)).toEqual({
      ok: false,
      problem: 'format',
    });
  });
});
