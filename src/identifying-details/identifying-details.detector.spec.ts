import {
  checkFields,
  describeFinding,
  findIdentifyingDetails,
  IDENTIFYING_DETAIL_KINDS,
  IdentifyingDetailKind,
} from './identifying-details.detector';

/** Findings as [kind, matched text] pairs, which makes offsets easy to read and check. */
function found(text: string): Array<[IdentifyingDetailKind, string]> {
  return findIdentifyingDetails(text).map((d) => [d.kind, text.slice(d.start, d.end)]);
}

/** Asserts `text` contains exactly one finding, of `kind`, covering exactly `expected`. */
function expectOnly(text: string, kind: IdentifyingDetailKind, expected: string): void {
  const findings = findIdentifyingDetails(text);
  expect(findings).toHaveLength(1);
  const [finding] = findings;
  expect(finding.kind).toBe(kind);
  expect(finding.start).toBe(text.indexOf(expected));
  expect(finding.end).toBe(text.indexOf(expected) + expected.length);
  expect(text.slice(finding.start, finding.end)).toBe(expected);
}

describe('NHS numbers', () => {
  it.each([
    '943 476 5919',
    '9434765919',
    '943-476-5919',
    '401 023 2137',
    '4010232137',
    '450 557 7104',
    '485 777 3457',
    '943 476-5919', // mixed separators (a typo) still identifies
  ])('flags the valid NHS number %s with exact offsets', (nhs) => {
    expectOnly(`The child's NHS no. ${nhs} was on the referral.`, 'nhs-number', nhs);
  });

  it('treats a computed check digit of 11 as 0', () => {
    // 9*10 + 8*9 + ... + 1*2 = 330, 330 mod 11 = 0, so the check digit is 11 -> 0.
    expectOnly('NHS 9876543210', 'nhs-number', '9876543210');
    expect(found('NHS 9876543211')).toEqual([]);
  });

  // Check digits worked out by hand (and outside this code base), never by re-implementing the
  // check here: a test that shares the code's arithmetic shares its mistakes.
  it.each([
    ['6123456784', '612345678x: 6*10+1*9+2*8+3*7+4*6+5*5+6*4+7*3+8*2 = 216, 216 mod 11 = 7, 11-7 = 4'],
    ['4000000004', '4*10 = 40, 40 mod 11 = 7, 11-7 = 4'],
    ['1020304057', '1*10+2*8+3*6+4*4+5*2 = 70, 70 mod 11 = 4, 11-4 = 7'],
    ['5555555555', '5*(10+9+...+2) = 270, 270 mod 11 = 6, 11-6 = 5'],
  ])('flags %s (%s)', (nhs) => {
    expectOnly(`ref ${nhs}`, 'nhs-number', nhs);
  });

  it('never accepts a number whose check digit would be 10', () => {
    // 1*10+2*9+3*8+4*7+5*6+6*5+7*4+8*3+9*2 = 210, 210 mod 11 = 1, 11-1 = 10: no valid NHS number.
    for (let last = 0; last <= 9; last++) {
      expect(found(`NHS 123456789${last}`)).toEqual([]);
    }
  });

  it.each(['943 476 5918', '9434765910', '401-023-2138', '485 777 3456'])(
    'does not flag %s, which has an invalid check digit',
    (digits) => {
      expect(found(`NHS ${digits} recorded`)).toEqual([]);
    },
  );

  it.each(['19434765919', '94347659190', '943 476 59190', '194347659192'])(
    'does not flag a valid NHS number inside the longer digit run %s',
    (digits) => {
      expect(found(`reference ${digits}`)).toEqual([]);
    },
  );

  it('does not flag other groupings', () => {
    expect(found('9434 765 919')).toEqual([]);
    expect(found('94 3476 5919')).toEqual([]);
  });

  it.each([
    '943.476.5919', // dots
    '943/476/5919', // slashes
    '943  476  5919', // double spaces
    '943 . 476 . 5919', // a run of separators
    '943 - 476 - 5919',
    '943.476 5919', // mixed
  ])('flags the NHS number written %s (any separator run between the groups)', (nhs) => {
    expectOnly(`NHS ${nhs} on the letter`, 'nhs-number', nhs);
  });

  it('reports a number that is both a valid NHS number and phone-like as nhs-number only', () => {
    // 0123456789 has a valid check digit and is also shaped like an 01 landline.
    expect(found('call 0123456789')).toEqual([['nhs-number', '0123456789']]);
    expect(found('call 012 345 6789')).toEqual([['nhs-number', '012 345 6789']]);
  });

  it('still reports a phone-like number whose NHS check digit is invalid as a phone', () => {
    expect(found('call 0123456780')).toEqual([['phone', '0123456780']]);
  });

  it('finds several NHS numbers in one text, in order', () => {
    expect(found('Siblings: 943 476 5919, 4010232137.')).toEqual([
      ['nhs-number', '943 476 5919'],
      ['nhs-number', '4010232137'],
    ]);
  });
});

describe('postcodes', () => {
  it.each([
    'SW1A 1AA',
    'sw1a1aa',
    'M1 1AE',
    'B33 8TH',
    'CR2 6XH',
    'DN55 1PT',
    'EC1A 1BB',
    'W1A 0AX',
    'GIR 0AA',
    'gir0aa',
    'M11AE',
    'SW1A   1AA',
    'Sw1a 1aA',
    'LS1 4AP',
    'N1C 4AG',
    'G12 2ND',
    'BT7 1NN',
    'JE2 3QA',
  ])('flags the postcode %s with exact offsets', (postcode) => {
    expectOnly(`Family moved to ${postcode} last year.`, 'postcode', postcode);
  });

  it('finds postcodes wrapped in punctuation', () => {
    expect(found('(SW1A 1AA)')).toEqual([['postcode', 'SW1A 1AA']]);
    expect(found('lives at B33 8TH.')).toEqual([['postcode', 'B33 8TH']]);
    expect(found('"m1 1ae",CR2 6XH')).toEqual([
      ['postcode', 'm1 1ae'],
      ['postcode', 'CR2 6XH'],
    ]);
    expect(found('SW1A 1AA')).toEqual([['postcode', 'SW1A 1AA']]);
  });

  it.each([
    'Year 10 pupil',
    'level 3 concern',
    'CAF2 form completed',
    'aged 14',
    'travelling on the A1 road',
    'lives near SW1A', // outward code only
    'the M1 motorway',
    'M1',
    'B33',
    'KS2 SATs',
    'Y11 2ND half term', // Y is not a postcode area
    'room G12 2nd floor', // ordinal in prose
    'see B1 3rd party report',
    'XX1 1AA', // not a postcode area
    'QA1 1AA',
    'SW1A 1CI', // C and I never appear in the inward code
    'W1I 1AA', // I is not allowed in the A9A position
    'EC1Z 1BB', // Z is not allowed in the AA9A position
    'SW1A1AAB',
    'ASW1A 1AA',
    'EC1A 1BB2',
    'COVID19 2ND wave',
    'GIRL 0AA',
  ])('does not flag %s', (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('dates', () => {
  it.each([
    '03/03/2015',
    '3/3/2015',
    '3/3/15',
    '03-03-2015',
    '03.03.2015',
    '2015-03-03',
    '2015/03/03',
    '3 March 2015',
    '3rd March 2015',
    '3rd of March, 2015',
    'March 3, 2015',
    'March 3rd 2015',
    '03 Mar 2015',
    '03-Mar-2015',
    'Sept 3, 2015',
    '21st december 2010',
    '29/02/2016', // leap year
    '31/12/1999',
    '03/25/2015', // only readable as a US date
  ])('flags the complete date %s with exact offsets', (date) => {
    expectOnly(`Seen on ${date} at school.`, 'date-of-birth', date);
  });

  it.each([
    ['DOB 03.03.15', '03.03.15'],
    ['D.O.B. 3-3-15', '3-3-15'],
    ['dob: 14.7.09', '14.7.09'],
    ['born 3rd March', '3rd March'],
    ['born on the 3rd of March', '3rd of March'],
    ['Date of birth - 3 March', '3 March'],
    ['DOB: March 3rd', 'March 3rd'],
    ['born 3 March 2015', '3 March 2015'],
    ['DOB 12/03', '12/03'],
    ['D.O.B: 3.3', '3.3'],
    ['date of birth 29/2', '29/2'],
  ])('flags the looser date in "%s" because of the DOB cue', (text, date) => {
    expectOnly(`Child ${text}, attends primary.`, 'date-of-birth', date);
  });

  it.each([
    'in 2019',
    'March 2024',
    'since March 2015',
    'born in March 2015',
    'the meeting is at 10:30',
    'between 10.30-11.30',
    'aged 7',
    'Year 7',
    'seen 3 March', // day and month only, no DOB cue
    'see section 4.3.12', // two-digit year with dots and one-digit parts, no cue
    'code 1-3-19',
    'version 2.10.11',
    'born 3/4 weeks early',
    'born 2/3 months premature', // "born" alone does not make a bare day/month a date
    'DOB 31/2', // not a real day and month
    'Years 9/10/11 assembly', // school years, not 9 October 2011
    'Year 9/10/11 pupils',
    'Y9/10/11',
    '12/2015',
    '2019-2020 academic year',
    '31/02/2015', // not a real date
    '29/02/2015', // 2015 is not a leap year
    '30/02/2016',
    '00/01/2015',
    '13/13/2015',
    '32 March 2015',
    '1/2/3000', // implausible year
    'May 5pm',
    'you may 12 times', // no cue, no year
    'MASH-2024-00123',
    'TRM-2027-0042',
  ])('does not flag %s', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('only uses the DOB cue when it directly precedes the date', () => {
    expect(found('DOB withheld, seen 3 March')).toEqual([]);
    expect(found('adob 3.3.15')).toEqual([]);
  });
});

describe('phone numbers', () => {
  it.each([
    '07700 900123',
    '07700900123',
    '07700-900-123',
    '07700 900 123',
    '0161 496 0000',
    '01632 960001',
    '01632 96000', // older 10-digit 01 number
    '020 7946 0958',
    '(020) 7946 0958',
    '(01632) 960001',
    '0800 123 4567',
    '0800 123 456',
    '+44 7700 900123',
    '+447700900123',
    '+44 (0)20 7946 0958',
    '+44 (0) 7700 900123',
    '+44-20-7946-0958',
    '0044 20 7946 0958',
    '0044 7700 900123',
  ])('flags the UK phone number %s with exact offsets', (phone) => {
    expectOnly(`Mum's number is ${phone}, call after 4.`, 'phone', phone);
  });

  it('flags a phone number straight after a label', () => {
    expect(found('Tel:07700900123')).toEqual([['phone', '07700900123']]);
    expect(found('tel.07700 900123')).toEqual([['phone', '07700 900123']]);
  });

  it.each([
    'call 999',
    'ring 111',
    'police on 101',
    'Childline 0800 1111',
    'MASH-2024-00123',
    'TRM-2027-0042',
    'CAF 123456',
    'CAF-01234567890', // reference, not glued-on phone
    'ref 0770090012', // ten digits starting 07 is too short for a mobile
    '07700 9001234', // twelve digits
    '0412 345 6789', // unallocated range
    '0912 345 6789', // premium rate
    '1234 567 890',
    '+1 212 555 0100',
    '+44 1234',
    'scored 0 1 2 3',
    'version 2.07700900123',
  ])('does not flag %s', (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('e-mail addresses', () => {
  it.each([
    'jo.bloggs@example.co.uk',
    'J.Smith@Council.GOV.UK',
    'first+tag@nhs.net',
    "o'brien@school.sch.uk",
    'a_b-c@sub-domain.example.org',
    'x@y.io',
    'jürgen@exämple.de',
  ])('flags %s with exact offsets', (email) => {
    expectOnly(`Contact ${email} for details`, 'email', email);
  });

  it('leaves surrounding punctuation out of the span', () => {
    expect(found('email jo@example.com.')).toEqual([['email', 'jo@example.com']]);
    expect(found('<jo@example.com>')).toEqual([['email', 'jo@example.com']]);
    expect(found("('jo@example.com')")).toEqual([['email', 'jo@example.com']]);
    expect(found('...jo@example.com')).toEqual([['email', 'jo@example.com']]);
  });

  it.each([
    'jo@localhost',
    'jo@',
    '@example.com',
    'jo at example dot com',
    'a@b.c',
    'jo@example.123',
    'jo@-example.com',
    'jo@example..com',
    'twitter @handle',
    'jo@example.c0m',
  ])('does not flag %s', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('reports an address once, even when it contains other kinds of detail', () => {
    expect(found('sw1a1aa@nhs.net')).toEqual([['email', 'sw1a1aa@nhs.net']]);
    expect(found('07700900123@sms.example.com')).toEqual([['email', '07700900123@sms.example.com']]);
    expect(found('jo.03.03.2015@example.com')).toEqual([['email', 'jo.03.03.2015@example.com']]);
    expect(found('9434765919@example.com')).toEqual([['email', '9434765919@example.com']]);
  });
});

describe('findIdentifyingDetails', () => {
  it('returns findings sorted by start with no overlaps', () => {
    const text = 'Contact jo@example.com or 07700 900123. Child NHS 943 476 5919, DOB 03/03/2015, lives at SW1A 1AA.';
    expect(found(text)).toEqual([
      ['email', 'jo@example.com'],
      ['phone', '07700 900123'],
      ['nhs-number', '943 476 5919'],
      ['date-of-birth', '03/03/2015'],
      ['postcode', 'SW1A 1AA'],
    ]);
    const findings = findIdentifyingDetails(text);
    for (let i = 1; i < findings.length; i++) {
      expect(findings[i].start).toBeGreaterThanOrEqual(findings[i - 1].end);
    }
  });

  it('returns nothing for empty text', () => {
    expect(findIdentifyingDetails('')).toEqual([]);
  });

  it('passes a long, ordinary safeguarding paragraph', () => {
    const paragraph = [
      'Referred to MASH on Monday by the school following concerns about neglect.',
      'The child is aged 14 and in Year 9; attendance has fallen to 72% this term, with 11 unauthorised absences since September.',
      "The school rates this as level 3 on the continuum of need. Mum's mental health has deteriorated since March 2024",
      'and she has been under the community mental health team since 2019. There were 2 missed GP appointments and the',
      'home was described as cold, with little food. A CAF2 form was completed; the early help assessment (EHA) was',
      'closed after 6 weeks. Dad is not in contact. The younger sibling, aged 7, is in Year 3 and attends regularly.',
      'Police attended once at 10:30 on a weekday, no further action. Threshold question: does this meet section 47,',
      'or should it stay at level 3 with a team around the family? The family live in a rural part of the county,',
      'near the A1 road, and rely on one bus route. Case reference MASH-2024-00123; meeting TRM-2027-0042.',
      'Health visitor had 1:1 contact twice. Scores on the neglect toolkit were 3/5 and 4/5. Risk: medium-high.',
    ].join(' ');
    expect(findIdentifyingDetails(paragraph)).toEqual([]);
  });

  it('handles unicode text without crashing, with UTF-16 offsets', () => {
    const text = 'Émilie’s 👶🏽 family 🇬🇧 — now at SW1A 1AA, 電話 07700 900123, ✉ jo@example.com';
    expect(found(text)).toEqual([
      ['postcode', 'SW1A 1AA'],
      ['phone', '07700 900123'],
      ['email', 'jo@example.com'],
    ]);
    expect(findIdentifyingDetails('🙂'.repeat(1000) + '\uD800' + 'ß'.repeat(1000))).toEqual([]);
  });

  describe('on 100 KB inputs', () => {
    const size = 100_000;
    const ordinary = 'Referred to MASH on Monday; aged 14, Year 9, level 3 concern about neglect and attendance. ';
    const adversarial: Array<[string, string]> = [
      ['ordinary prose', ordinary.repeat(Math.ceil(size / ordinary.length))],
      ['one long word', 'a'.repeat(size)],
      ['one long digit run', '7'.repeat(size)],
      ['spaced zeros', '0 '.repeat(Math.ceil(size / 2))],
      ['hyphenated digits', '1-'.repeat(Math.ceil(size / 2))],
      ['slashed digits', '1/'.repeat(Math.ceil(size / 2))],
      ['dotted words', 'a.'.repeat(Math.ceil(size / 2))],
      ['repeated at-signs', 'a@'.repeat(Math.ceil(size / 2))],
      ['a huge domain', `jo@${'b.'.repeat(size / 2)}`],
      ['a huge hyphenated domain', `jo@${'b-'.repeat(size / 2)}!`],
      ['outward codes', 'SW1A '.repeat(Math.ceil(size / 5))],
      ['day and month', '3 March '.repeat(Math.ceil(size / 8))],
      ['brackets', '0)'.repeat(Math.ceil(size / 2))],
      ['whitespace after a digit', `3${' '.repeat(size)}x`],
      ['separators between digits', '1 . - / '.repeat(Math.ceil(size / 8))],
      ['no-break spaces between digits', '1\u00A0\u00A0'.repeat(Math.ceil(size / 3))],
      ['zero-width characters', '\u200B\u200D\u00AD'.repeat(Math.ceil(size / 3))],
      ['full-width digits', '\uFF10'.repeat(size)],
      ['look-alike letters', '\u0430\u0435\u043E'.repeat(Math.ceil(size / 3))],
      ['combining marks', 'a\u0301'.repeat(Math.ceil(size / 2))],
      ['capitalised words', 'Jayden Smith Lee '.repeat(Math.ceil(size / 17))],
      ['names and ages', 'Jayden, 7, '.repeat(Math.ceil(size / 11))],
      ['hyphenated words', 'Amelia-Rose-'.repeat(Math.ceil(size / 12))],
      ['apostrophes', "O'B".repeat(Math.ceil(size / 3))],
      ['date cues', 'born on the '.repeat(Math.ceil(size / 12))],
      ['ordinal words', 'the twenty-first of '.repeat(Math.ceil(size / 20))],
    ];

    // No wall-clock assertion (it would be flaky on a busy machine): a pattern that backtracks
    // catastrophically on one of these takes minutes, and the test then fails on Jest's timeout.
    it.each(adversarial)('completes on %s', (_name, text) => {
      expect(text.length).toBeGreaterThanOrEqual(size);
      expect(Array.isArray(findIdentifyingDetails(text))).toBe(true);
    });

    it('finds every detail in a large mixed input', () => {
      const chunk = 'SW1A 1AA, 07700 900123, jo@example.com, 3/3/2015, 943 476 5919, Jayden Smith. ';
      const text = chunk.repeat(Math.ceil(size / chunk.length));
      const findings = findIdentifyingDetails(text);
      expect(findings).toHaveLength(6 * Math.ceil(size / chunk.length));
    });
  });
});

describe('checkFields', () => {
  it('reports findings with their field names, in key order', () => {
    const findings = checkFields({
      question: 'Does this meet threshold? Mum on 07700 900123.',
      summary: 'Child lives at B33 8TH, DOB 3/3/15.',
      agencyReference: null,
      notes: undefined,
      empty: '',
      clean: 'Year 9, level 3.',
    });
    expect(findings.map((f) => f.field)).toEqual(['question', 'summary', 'summary']);
    expect(findings.map((f) => f.kind)).toEqual(['phone', 'postcode', 'date-of-birth']);
    const summary = 'Child lives at B33 8TH, DOB 3/3/15.';
    expect(summary.slice(findings[1].start, findings[1].end)).toBe('B33 8TH');
    expect(summary.slice(findings[2].start, findings[2].end)).toBe('3/3/15');
  });

  it('follows the key order of the record, not the order of the kinds', () => {
    const findings = checkFields({ agencyReference: 'jo@example.com', summary: 'NHS 9434765919' });
    expect(findings).toEqual([
      { field: 'agencyReference', kind: 'email', start: 0, end: 14 },
      { field: 'summary', kind: 'nhs-number', start: 4, end: 14 },
    ]);
  });

  it('returns nothing for clean or empty fields', () => {
    expect(checkFields({})).toEqual([]);
    expect(checkFields({ question: 'Is this level 3?', summary: null, agencyReference: undefined })).toEqual([]);
  });
});

describe('describeFinding', () => {
  it('lists every kind exactly once', () => {
    expect([...IDENTIFYING_DETAIL_KINDS].sort()).toEqual(
      ['date-of-birth', 'email', 'name', 'nhs-number', 'phone', 'postcode'].sort(),
    );
  });

  it.each(IDENTIFYING_DETAIL_KINDS.map((kind) => [kind]))('gives plain advice for %s', (kind) => {
    const advice = describeFinding(kind);
    expect(advice).toMatch(/^Remove the /);
    expect(advice).toMatch(/\.$/);
    expect(advice.length).toBeLessThan(120);
  });

  it('names the detail and suggests alternatives', () => {
    expect(describeFinding('nhs-number')).toBe('Remove the NHS number.');
    expect(describeFinding('postcode')).toBe(
      "Remove the postcode; say 'in the north of the county' if location matters.",
    );
    expect(describeFinding('date-of-birth')).toMatch(/age/);
    expect(describeFinding('name')).toMatch(/Child A/);
  });

  it('never echoes the matched text', () => {
    const text = 'NHS 943 476 5919, SW1A 1AA, 3/3/2015, 07700 900123, jo@example.com';
    for (const finding of findIdentifyingDetails(text)) {
      expect(describeFinding(finding.kind)).not.toContain(text.slice(finding.start, finding.end));
    }
  });
});

/*
 * Each case below is caught only because of one normalisation step (identifying-details.normalise.ts):
 * removing that step makes the case fail, which was checked by removing each step in turn.
 */
describe('formatting that must not hide a detail', () => {
  describe('NFKC (full-width and other compatibility forms)', () => {
    it.each<[IdentifyingDetailKind, string]>([
      ['phone', '０７７００ ９００１２３'],
      ['nhs-number', '４０１ ０２３ ２１３７'],
      ['date-of-birth', '０３/０５/２０１０'],
      ['email', 'jo＠example.com'],
      ['postcode', 'Ｗ１Ａ ０ＡＸ'],
    ])('finds the %s written %s', (kind, detail) => {
      expectOnly(`Recorded as ${detail} on the form.`, kind, detail);
    });
  });

  describe('removing zero-width and other invisible characters', () => {
    it.each<[IdentifyingDetailKind, string]>([
      ['nhs-number', '943\u200B476\u200B5919'], // zero-width space
      ['nhs-number', '943\u2060476\u20605919'], // word joiner
      ['nhs-number', '943\uFEFF476\uFEFF5919'], // byte-order mark
      ['phone', '07700\u00AD900\u00AD123'], // soft hyphen (Word's optional hyphen)
      ['phone', '07700\u200D900\u200C123'], // zero-width joiner and non-joiner
      ['postcode', 'SW1A\u200B 1AA'],
      ['postcode', 'S\u0301W1A 1AA'], // a combining mark
      ['date-of-birth', '03/05/\u200B2015'],
      ['email', 'jo\u200B.bloggs@example.com'],
      ['name', 'Jay\u200Bden Smith'],
    ])('finds the %s in %j', (kind, detail) => {
      expectOnly(`Noted: ${detail} in the file.`, kind, detail);
    });
  });

  describe('reading every dash, dot, slash and space as its ASCII form', () => {
    it.each<[IdentifyingDetailKind, string]>([
      ['nhs-number', '943\u2212476\u22125919'], // minus sign
      ['nhs-number', '943\u2013476\u20135919'], // en dash
      ['phone', '07700\u2014900\u2014123'], // em dash
      ['phone', '07700\u2011900123'], // non-breaking hyphen
      ['nhs-number', '943\t476\t5919'], // tabs
      ['date-of-birth', '03\u204405\u20442015'], // fraction slash
      ['date-of-birth', '03\u00B705\u00B72015'], // middle dot
      ['postcode', 'SW1A\u20131AA'],
    ])('finds the %s in %j', (kind, detail) => {
      expectOnly(`Noted: ${detail} in the file.`, kind, detail);
    });
  });

  // NFKC and the space class both turn these into spaces: they fail only when both are removed.
  describe('no-break spaces (what Word pastes)', () => {
    it.each<[IdentifyingDetailKind, string]>([
      ['nhs-number', '943\u00A0476\u00A05919'],
      ['nhs-number', '943\u202F476\u202F5919'], // narrow no-break space
      ['phone', '07700\u2007900123'], // figure space
      ['postcode', 'SW1A\u00A01AA'],
    ])('finds the %s in %j', (kind, detail) => {
      expectOnly(`Noted: ${detail} in the file.`, kind, detail);
    });
  });

  describe('folding look-alike letters', () => {
    it.each<[IdentifyingDetailKind, string]>([
      ['postcode', 'SW1\u0410 1\u0410\u0410'], // Cyrillic A
      ['postcode', '\u0395C1A 1BB'], // Greek Epsilon
      ['postcode', 'M1 1\u0391E'], // Greek Alpha
      ['name', 'J\u0430yden Smith'], // Cyrillic a
    ])('finds the %s in %j', (kind, detail) => {
      expectOnly(`Noted: ${detail} in the file.`, kind, detail);
    });

    it('reads a DOB label written with a Cyrillic O', () => {
      expectOnly('D\u041EB 03052015', 'date-of-birth', '03052015');
    });
  });

  it('finds an address with look-alike letters (the address pattern takes any letter), with typed offsets', () => {
    expectOnly('Contact j\u043E.bloggs@ex\u0430mple.com today', 'email', 'j\u043E.bloggs@ex\u0430mple.com');
  });

  describe('reading a run of separators between digits as one', () => {
    it.each<[IdentifyingDetailKind, string]>([
      ['nhs-number', '943  476  5919'],
      ['nhs-number', '943 . 476 . 5919'],
      ['phone', '07700 - 900 - 123'],
      ['phone', '07700  900  123'],
      ['date-of-birth', '03 / 05 / 2015'],
      ['postcode', 'SW1A   1AA'],
    ])('finds the %s in %j', (kind, detail) => {
      expectOnly(`Noted: ${detail} in the file.`, kind, detail);
    });
  });

  it('reports offsets in the text as typed, across characters that were dropped or expanded', () => {
    const text = 'NHS \uFEFF９４３\u00A0\u00A0４７６\u200B５９１９, mobile 𝟎𝟕𝟕𝟎𝟎 𝟗𝟎𝟎𝟏𝟐𝟑.';
    const findings = findIdentifyingDetails(text);
    expect(findings).toEqual([
      { kind: 'nhs-number', start: 5, end: 18 },
      { kind: 'phone', start: 27, end: 27 + 23 }, // eleven surrogate pairs and a space
    ]);
    expect(text.slice(findings[0].start, findings[0].end)).toBe('９４３\u00A0\u00A0４７６\u200B５９１９');
    expect(text.slice(findings[1].start, findings[1].end)).toBe('𝟎𝟕𝟕𝟎𝟎 𝟗𝟎𝟎𝟏𝟐𝟑');
  });
});

describe('forms the first version let through', () => {
  it.each([
    ['DOB 03052015', '03052015'],
    ['born 03052015', '03052015'],
    ['DOB 030515', '030515'],
    ['DOB 20150503', '20150503'],
    ['born 03 05 2015', '03 05 2015'],
    ['born 3 5 2015', '3 5 2015'],
    ['d.o.b 3/5/15', '3/5/15'],
    ['d o b 03 05 15', '03 05 15'],
    ['date of birth is 03.05.15', '03.05.15'],
    ['born on the third of May', 'third of May'],
    ['her birthday is the twenty-first of March', 'twenty-first of March'],
    ['born May the third', 'May the third'],
    ['born 3rd May 15', '3rd May 15'],
    ['DOB 1-3-19', '1-3-19'],
  ])('flags the date of birth in "%s"', (text, date) => {
    expectOnly(`Child ${text}, attends primary.`, 'date-of-birth', date);
  });

  it.each([
    'third of May 2015',
    'thirty-first of December 2014',
    'May the third, 2015',
    '12.11.26', // dd.mm.yy with two-digit day and month is reported without a cue
    '03-05-15',
    '03 05 2015', // spaced, two-digit day and month, four-digit year
    '03.05/2015',
  ])('flags the full date %s without a cue', (date) => {
    expectOnly(`Seen on ${date} at school.`, 'date-of-birth', date);
  });

  it.each([
    'ref 03052015', // compact dates need a cue
    'case 030515',
    'seen 3 5 2015', // one-digit parts need a cue when spaced
    'the twenty-first of March', // no year, no cue
    'on the thirty-second of May 2015', // no such day
    'the twenty-tenth of May 2015',
    'the first March 2024 review', // "of" is needed between the ordinal and the month
    'section 4.3.12',
    'items 1.2.15',
  ])('does not flag %s', (text) => {
    expect(found(text)).toEqual([]);
  });

  it.each(['07700.900.123', '0161.496.0000', '07700/900/123', '07700 . 900 . 123', '+44.7700.900.123'])(
    'flags the phone number %s',
    (phone) => {
      expectOnly(`Mum's number is ${phone} after 4.`, 'phone', phone);
    },
  );

  it.each([
    '0.7700900123', // a decimal
    '0 7 7 0 0 9 0 0 1 2 3', // eleven single digits are a list, not a number
    '07700.900.1234',
    '2.07700.900.123',
  ])('does not flag %s as a phone number', (text) => {
    expect(found(`values ${text} recorded`)).toEqual([]);
  });

  it.each(['SW1A-1AA', 'SW1A - 1AA', 'SW1A.1AA', 'M1-1AE', 'gir-0aa'])('flags the postcode %s', (postcode) => {
    expectOnly(`Lives at ${postcode} now.`, 'postcode', postcode);
  });

  it.each(['SW1A/1AA', 'SW1A--1AA', 'M1-1-AE'])('does not flag %s as a postcode', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('reports "Jayden Smith, 7" as a name', () => {
    expectOnly('Jayden Smith, 7, was seen at school.', 'name', 'Jayden Smith');
  });

  it('can leave names out', () => {
    expect(findIdentifyingDetails('Jayden Smith, 7, was seen.', { names: false })).toEqual([]);
    expect(checkFields({ summary: 'Jayden Smith, 7' }, { names: false })).toEqual([]);
    expect(checkFields({ summary: 'Jayden Smith, 7' })).toEqual([
      { field: 'summary', kind: 'name', start: 0, end: 12 },
    ]);
  });
});
