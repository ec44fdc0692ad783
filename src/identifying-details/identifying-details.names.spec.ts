import { findNames } from './identifying-details.names';
import commonWords from './word-lists/common-words.json';
import givenNames from './word-lists/given-names.json';

/** The probable names in (already normalised) text, as the text they cover. */
function names(text: string): string[] {
  return findNames(text).map(({ start, end }) => text.slice(start, end));
}

describe('the shipped word lists', () => {
  it('hold common given names from the baby-name data, in lower case', () => {
    expect(givenNames.names.length).toBeGreaterThan(10_000);
    for (const name of ['jayden', 'amelia', 'oliver', 'alfie', 'freya', 'isla', 'priya', 'mohammed', 'siobhan']) {
      expect(givenNames.names).toContain(name);
    }
    expect(givenNames.names.every((n) => /^[a-z]{2,}$/.test(n))).toBe(true);
    expect(givenNames.source).toMatch(/Social Security/);
  });

  it('hold common English words, so that names like "Will" and "Grace" need more evidence', () => {
    for (const word of ['will', 'grace', 'hope', 'may', 'early', 'help', 'smith'])
      expect(commonWords.words).toContain(word);
    expect(commonWords.words).not.toContain('jayden');
  });
});

describe('findNames', () => {
  it.each([
    ['Jayden Smith was seen at school.', 'Jayden Smith'],
    ['Seen with Jayden Smith at school.', 'Jayden Smith'],
    ['Jayden Lee Smith is in Year 3.', 'Jayden Lee Smith'],
    ['Amelia-Rose Hughes is in Year 9.', 'Amelia-Rose Hughes'],
    ["Aoife O'Brien was referred.", "Aoife O'Brien"],
    ['Declan McCarthy has a youth worker.', 'Declan McCarthy'],
    ['Ellie Smith-Jones attends.', 'Ellie Smith-Jones'],
    ["Jayden Smith's mum called.", "Jayden Smith's"],
    ['Mark Jones is the father.', 'Mark Jones'],
    ['told Will Jones about it', 'Will Jones'],
  ])('finds a given name followed by a surname in "%s"', (text, name) => {
    expect(names(text)).toEqual([name]);
  });

  it.each([
    ['Jayden, 7, was seen.', 'Jayden'],
    ['Jayden, 7.', 'Jayden'],
    ['Jayden (7) was seen.', 'Jayden'],
    ['Jayden ( 7 ) was seen.', 'Jayden'],
    ['Jayden aged 7 was seen.', 'Jayden'],
    ['Jayden, aged 7, was seen.', 'Jayden'],
    ['Jayden (aged 7) was seen.', 'Jayden'],
    ['Jayden age 7 was seen.', 'Jayden'],
    ['Jayden, 7 years old, was seen.', 'Jayden'],
    ['Jayden 7yo was seen.', 'Jayden'],
    ['Alfie, 6 months, was seen.', 'Alfie'],
    ['Grace (7) is the youngest.', 'Grace'],
    ['May, aged 7, is the youngest.', 'May'],
  ])('finds a given name followed by an age in "%s"', (text, name) => {
    expect(names(text)).toEqual([name]);
  });

  it.each([
    'Jayden was seen at school.', // a given name alone
    'JAYDEN SMITH', // capitals
    'jayden smith', // lower case
    'Jayden, 7 times late this term.', // a count, not an age
    'Jayden, 7%',
    'Jayden, 7.5 hours',
    'Jayden, 10:30',
    'Jayden 7', // a bare number needs a comma, a bracket or "aged"
    'Jayden (7 incidents)',
    'In May, 7 incidents were reported.', // months need an age written as one
    'Grace, 7', // so do names that are common words
    'Early Help Hub staff', // a common word after a common word
    'Will Social Care take the lead?',
    'Grace Academy staff',
    'Hope House refuge',
    'Mark Scheme results',
    'Grace Smith is the youngest.', // deliberately missed: both are common words
    'Kent Police shared the log.', // places
    'Jordan Road Surgery',
    'Devon County Council',
    'Victoria Ward staff', // organisations after a name
    'William Harvey Hospital',
    'Anna Freud Centre resources',
    'Thomas Coram Research Unit',
    "Lucy Faithfull Foundation's helpline",
    'St John Ambulance', // saints
    'Saint Mary Church',
    'Mum, Dad and Nan attended.', // relatives
    'Nan, aged 62, helps.',
    'Jesus Christ', // faiths, days
    'Sunday School',
    'Jayden\nSmith', // not on one line
    'Jayden, Smith',
    "Jayden's Mum",
    'Jayden Year 5',
  ])('does not report %j', (text) => {
    expect(names(text)).toEqual([]);
  });

  it('finds several names, each once', () => {
    expect(names('Evie Jackson and her brother Archie Jackson, 9, were seen; Leo (3) too.')).toEqual([
      'Evie Jackson',
      'Archie Jackson',
      'Leo',
    ]);
  });

  it('accepts a surname that is also an organisation word when nothing follows it', () => {
    expect(names('Ethan Hall has an EHCP.')).toEqual(['Ethan Hall']);
    expect(names('Wesley Hall Children Centre')).toEqual([]);
  });
});
