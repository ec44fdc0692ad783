import { AppConfig, loadConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { IdentifyingDetailsCheck, IdentifyingDetailWarning } from './identifying-details.check';

type Guard = AppConfig['IDENTIFYING_DETAILS_GUARD'];
type Names = AppConfig['IDENTIFYING_DETAILS_NAMES'];

function check(guard: Guard, names?: Names): IdentifyingDetailsCheck {
  const env: Record<string, string> = { IDENTIFYING_DETAILS_GUARD: guard };
  if (names) env.IDENTIFYING_DETAILS_NAMES = names;
  return new IdentifyingDetailsCheck(loadConfig(env));
}

/** The findings of the refusal `inspect` throws, or fails the test if it does not refuse. */
function refusal(run: () => unknown): IdentifyingDetailWarning[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    const domainError = err as DomainError;
    expect(domainError.statusCode).toBe(422);
    expect(domainError.code).toBe('IDENTIFYING_DETAILS');
    return domainError.details as IdentifyingDetailWarning[];
  }
  throw new Error('expected a 422 IDENTIFYING_DETAILS refusal');
}

const NAME_ONLY = { summary: 'Jayden Smith, 7, attends the local primary school.' };
const PHONE_AND_NAME = { question: 'Mum is on 07700.900.123.', summary: 'Jayden (7) is hungry at school.' };
const CLEAN = { question: 'Does this meet level 3?', summary: 'Child A, aged 7, is hungry at school.' };

describe('IdentifyingDetailsCheck', () => {
  describe('with the guard at block and names at warn (the defaults)', () => {
    const guard = new IdentifyingDetailsCheck(loadConfig({}));

    it('lets a probable name through and returns it as a warning', () => {
      const warnings = guard.inspect(NAME_ONLY);
      expect(warnings).toEqual([
        {
          field: 'summary',
          kind: 'name',
          start: 0,
          end: 'Jayden Smith'.length,
          message: "Remove the name; say 'the child', 'Child A' or the person's role instead.",
        },
      ]);
    });

    it('refuses any other detail, and lists the probable names with it', () => {
      const details = refusal(() => guard.inspect(PHONE_AND_NAME));
      expect(details.map((d) => [d.field, d.kind])).toEqual([
        ['question', 'phone'],
        ['summary', 'name'],
      ]);
      expect(details.every((d) => !JSON.stringify(d).includes('07700'))).toBe(true);
    });

    it('returns nothing for clean text', () => {
      expect(guard.inspect(CLEAN)).toEqual([]);
    });
  });

  it('refuses a probable name alone when names are set to block', () => {
    const details = refusal(() => check('block', 'block').inspect(NAME_ONLY));
    expect(details.map((d) => d.kind)).toEqual(['name']);
  });

  it('does not look for names when they are off, but still refuses other details', () => {
    const guard = check('block', 'off');
    expect(guard.inspect(NAME_ONLY)).toEqual([]);
    expect(refusal(() => guard.inspect(PHONE_AND_NAME)).map((d) => d.kind)).toEqual(['phone']);
  });

  it('only warns under the warn guard, even with names at block', () => {
    const warnings = check('warn', 'block').inspect(PHONE_AND_NAME);
    expect(warnings.map((w) => w.kind)).toEqual(['phone', 'name']);
  });

  it('leaves names out for a field that holds professionals names by design, but checks the rest', () => {
    const guard = check('block', 'block');
    expect(guard.inspect({ owner: 'Jo Bloggs, DSL' }, { names: false })).toEqual([]);
    const details = refusal(() => guard.inspect({ owner: 'Jo Bloggs on 07700 900123' }, { names: false }));
    expect(details.map((d) => d.kind)).toEqual(['phone']);
  });

  it('does nothing when the guard is off', () => {
    expect(check('off', 'block').inspect(PHONE_AND_NAME)).toEqual([]);
  });
});

describe('the refusal’s message', () => {
  it('says what to do without echoing the text', () => {
    expect(() => check('block').inspect(PHONE_AND_NAME)).toThrow(
      'The text contains details that could identify a child or family. Remove them and try again.',
    );
  });
});
