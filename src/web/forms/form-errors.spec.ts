import { CreateBookingDto } from '../../bookings/dto/booking.dto';
import { DomainError, validationFailed } from '../../common/domain-error';
import type { ValidationError } from 'class-validator';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from './form-errors';
import { checkWith } from './form-input';

const COPY: FormCopy = {
  question: {
    label: 'Your question',
    id: 'question',
    page: '/book/question',
    required: 'Enter your question',
    inWords: 'your question',
  },
  summary: {
    label: 'Your summary',
    id: 'summary',
    page: '/book/summary',
    required: 'Enter a summary',
    inWords: 'your summary',
  },
  concernCategories: {
    label: 'Concerns',
    id: 'concernCategories',
    required: 'Select at least one concern',
    refused: 'Select concerns from the list',
  },
  referralDate: { label: 'The date of the referral', id: 'referralDate-day', required: 'Enter the date' },
};

describe('form errors', () => {
  const base = { kind: 'threshold-consultation', immediateRisk: false };

  it('says "enter…" for a missing answer and gives lengths in words, one message per field, linked to the field', async () => {
    const input = { ...base, summary: 's'.repeat(4001) };
    const { errors } = await checkWith(CreateBookingDto, input, ['question', 'summary']);
    const form = errorsFromValidation(errors, input, COPY);
    expect(form.list).toEqual([
      { text: 'Enter your question', href: '#question' },
      { text: 'Your summary must be 4,000 characters or fewer', href: '#summary' },
    ]);
    expect(form.message('summary')).toEqual({ text: 'Your summary must be 4,000 characters or fewer' });
    expect(form.message('kind')).toBeUndefined();
    // On check your answers, the links go to the page the field is on.
    expect(errorsFromValidation(errors, input, COPY, { linkToPage: true }).list[0].href).toBe(
      '/book/question#question',
    );
  });

  it('turns identifying-details findings into what to remove, once per field and kind, without the matched text', () => {
    const err = DomainError.unprocessable('IDENTIFYING_DETAILS', 'The text contains details…', [
      { field: 'summary', kind: 'postcode', start: 8, end: 16 },
      { field: 'summary', kind: 'postcode', start: 30, end: 38 },
      { field: 'question', kind: 'phone', start: 0, end: 13 },
    ]);
    const form = errorsFromDomain(err, COPY);
    expect(form.list).toEqual([
      {
        text: "In your summary: remove the postcode; say 'in the north of the county' if location matters.",
        href: '#summary',
      },
      {
        text: 'In your question: remove the phone number; name the service or role instead if it matters.',
        href: '#question',
      },
    ]);
    // Beside the field itself, the field is not named again.
    expect(form.message('question')).toEqual({
      text: 'Remove the phone number; name the service or role instead if it matters.',
    });
  });

  it('uses the field’s words for a service’s refusals, and its own message otherwise', () => {
    const refused = errorsFromDomain(
      validationFailed([
        { field: 'concernCategories', messages: ['unknown categories: x; see GET /api/reference-data'] },
        { field: 'referralDate', messages: ['cannot be in the future'] },
      ]),
      COPY,
    );
    expect(refused.list.map((e) => e.text)).toEqual([
      'Select concerns from the list',
      'The date of the referral cannot be in the future',
    ]);
    const required = errorsFromDomain(
      validationFailed([{ field: 'referralDate', messages: ['is required for feedback on a referral'] }]),
      COPY,
    );
    expect(required.list[0].text).toBe('Enter the date');
    const conflict = errorsFromDomain(DomainError.conflict('SLOT_TAKEN', 'That slot has just been taken.'), COPY, {
      fallbackField: 'question',
      linkToPage: true,
    });
    expect(conflict.list).toEqual([{ text: 'That slot has just been taken.', href: '/book/question#question' }]);
    expect(conflict.refusal?.code).toBe('SLOT_TAKEN');
    expect(errorsFromDomain(DomainError.conflict('X', 'Whole form.'), COPY).list).toEqual([
      { text: 'Whole form.', href: '' },
    ]);
  });

  it('words a refusal of a field without copy in the service’s words, all of them, after the field’s name', () => {
    const form = errorsFromDomain(
      validationFailed([
        { field: 'ageBand', messages: ['is required for this kind of item'] },
        { field: 'levelConsidered', messages: ['must be a level of this partnership', 'must be 1 to 4'] },
      ]),
      COPY,
    );
    expect(form.list).toEqual([
      { text: 'AgeBand is required for this kind of item', href: '#ageBand' },
      { text: 'LevelConsidered must be a level of this partnership; must be 1 to 4', href: '#levelConsidered' },
    ]);
  });

  it('asks for an answer only when the service says it "is required", not when the words come later', () => {
    const form = errorsFromDomain(
      validationFailed([{ field: 'concernCategories', messages: ['unknown categories: x (a known one is required)'] }]),
      COPY,
    );
    expect(form.list[0].text).toBe('Select concerns from the list');
  });

  it('treats details of another refusal as its own message, not as identifying details', () => {
    const err = DomainError.conflict('SLOT_TAKEN', 'That slot has just been taken.', [
      { field: 'summary', kind: 'postcode' },
    ]);
    expect(errorsFromDomain(err, COPY, { fallbackField: 'summary' }).list).toEqual([
      { text: 'That slot has just been taken.', href: '#summary' },
    ]);
  });

  it('names a field with identifying details by its label, or by its name when it has no copy', () => {
    const err = DomainError.unprocessable('IDENTIFYING_DETAILS', 'The text contains details…', [
      { field: 'reason', kind: 'email' },
      { field: 'notes', kind: 'nhs-number' },
    ]);
    const form = errorsFromDomain(err, { reason: { label: 'The Reason', id: 'reason', required: 'Enter the reason' } });
    expect(form.list).toEqual([
      {
        text: 'In the reason: remove the email address; name the service or role instead if it matters.',
        href: '#reason',
      },
      { text: 'In notes: remove the NHS number.', href: '#notes' },
    ]);
  });
});

/** class-validator's error for one property (its shape, built by hand to reach every rule). */
const failed = (property: string, constraints: Record<string, string>, children: ValidationError[] = []) =>
  ({ property, constraints, children }) as ValidationError;

describe('form errors from any rule', () => {
  it('words lengths and list sizes in plain English, and a rule without copy in the rule’s words', () => {
    const input = { name: 'ab', roles: ['a', 'b', 'c', 'd'], agencyReference: 'x', level: 9, reason: 'r'.repeat(1200) };
    const form = errorsFromValidation(
      [
        failed('name', { minLength: 'name must be longer than or equal to 3 characters' }),
        failed('roles', { arrayMaxSize: 'roles must contain no more than 3 elements' }),
        failed('level', { max: 'level must not be greater than 4' }),
        failed('reason', { maxLength: 'reason must be shorter than or equal to 1000 characters' }),
        failed('agencyReference', { matches: 'must be on one line' }),
      ],
      input,
      { reason: { label: 'The reason', id: 'reason', required: 'Enter the reason' } },
    );
    expect(form.list).toEqual([
      { text: 'Name must be 3 characters or more', href: '#name' },
      { text: 'Select no more than 3 options for roles', href: '#roles' },
      { text: 'Level must not be greater than 4', href: '#level' },
      { text: 'The reason must be 1,000 characters or fewer', href: '#reason' },
      { text: 'AgencyReference must be on one line', href: '#agencyReference' },
    ]);
  });

  it('treats empty, null and an empty list as not answered, "Enter …" in the field’s words when it has no message', () => {
    const copy: FormCopy = { reason: { label: 'The reason', id: 'reason', required: '' } };
    for (const value of [undefined, null, '', []]) {
      const form = errorsFromValidation(
        [failed('reason', { isNotEmpty: 'reason should not be empty' })],
        { reason: value },
        copy,
      );
      expect([value, form.list]).toEqual([value, [{ text: 'Enter the reason', href: '#reason' }]]);
    }
    const given = errorsFromValidation(
      [failed('reason', { isString: 'reason must be a string' })],
      { reason: 0 },
      copy,
    );
    expect(given.list[0].text).toBe('The reason must be a string');
  });

  it('reaches nested answers (each person of an attendance list) and links to their own boxes', () => {
    const input = { attendees: [{ name: 'Pat' }, { name: '' }, { name: 'Sam', agencyId: 'x' }] };
    const errors = [
      failed('attendees', {}, [
        failed('1', {}, [failed('name', { isNotEmpty: 'name should not be empty' })]),
        failed('2', {}, [failed('agencyId', { isUuid: 'agencyId must be a UUID' })]),
      ]),
    ];
    const form = errorsFromValidation(errors, input, {
      'attendees.1.name': {
        label: 'The name of person 2',
        id: 'attendees-1-name',
        required: 'Enter the name of person 2',
      },
    });
    expect(form.list).toEqual([
      { text: 'Enter the name of person 2', href: '#attendees-1-name' },
      { text: 'AgencyId must be a UUID', href: '#attendees-2-agencyId' },
    ]);
    expect(form.message('attendees.2.agencyId')).toEqual({ text: 'AgencyId must be a UUID' });
    // A prefix puts a sub-form's errors under its place in the whole form.
    const prefixed = errorsFromValidation(
      [failed('name', { isNotEmpty: 'x' })],
      { people: { name: '' } },
      {},
      { prefix: 'people' },
    );
    expect(prefixed.list).toEqual([{ text: 'Enter name', href: '#people-name' }]);
  });

  it('takes an answer as missing where what was submitted has no list or object on the way to it', () => {
    const nested = [failed('attendees', {}, [failed('1', { isObject: 'each value in attendees must be an object' })])];
    const copy: FormCopy = {
      'attendees.1': { label: 'Person 2', id: 'attendees-1-name', required: 'Enter the details of person 2' },
    };
    for (const attendees of [undefined, null, 'ab'])
      expect([attendees, errorsFromValidation(nested, { attendees }, copy).list]).toEqual([
        attendees,
        [{ text: 'Enter the details of person 2', href: '#attendees-1-name' }],
      ]);
  });
});

describe('a form’s errors', () => {
  const item = (field: string, text = `About ${field}`) => ({ field, text, href: `#${field}` });

  it('says whether there are any, adds more without changing the first, and keeps one page’s fields', () => {
    const none = new FormErrors();
    expect(none.any).toBe(false);
    const some = none.add([item('question'), item('attendees.1.name')]);
    expect(none.any).toBe(false);
    expect(some.any).toBe(true);
    expect(some.only(['attendees']).list).toEqual([{ text: 'About attendees.1.name', href: '#attendees.1.name' }]);
    expect(some.only(['summary']).any).toBe(false);
  });

  it('joins a field’s messages beside it, in its inline words where it has them', () => {
    const form = new FormErrors([
      item('summary'),
      {
        field: 'summary',
        text: 'In your summary: remove the postcode',
        inline: 'Remove the postcode',
        href: '#summary',
      },
    ]);
    expect(form.message('summary')).toEqual({ text: 'About summary Remove the postcode' });
  });
});

describe('trying a change from a form', () => {
  it('returns the value when it works', async () => {
    await expect(
      formAttempt(
        async () => 7,
        () => new FormErrors(),
      ),
    ).resolves.toEqual({ ok: true, value: 7 });
  });

  it('turns a refusal the person can act on into form errors', async () => {
    for (const err of [
      DomainError.conflict('SLOT_TAKEN', 'Taken.'),
      DomainError.unprocessable('IDENTIFYING_DETAILS', 'Details.', []),
      new DomainError(400, 'VALIDATION_FAILED', 'Bad.'),
    ]) {
      const result = await formAttempt(
        () => Promise.reject(err),
        (e) => new FormErrors([{ field: '', text: e.message, href: '' }]),
      );
      expect(result).toEqual({ ok: false, errors: new FormErrors([{ field: '', text: err.message, href: '' }]) });
    }
  });

  it('throws on what the form cannot mend: sign-in, permission, not found, server errors, and refusals it does not map', async () => {
    const toErrors = () => new FormErrors();
    for (const status of [401, 403, 404, 500, 503]) {
      const err = new DomainError(status, 'X', 'No.');
      await expect(formAttempt(() => Promise.reject(err), toErrors)).rejects.toBe(err);
    }
    const unmapped = DomainError.conflict('X', 'No.');
    await expect(
      formAttempt(
        () => Promise.reject(unmapped),
        () => null,
      ),
    ).rejects.toBe(unmapped);
    const plain = new Error('boom');
    await expect(formAttempt(() => Promise.reject(plain), toErrors)).rejects.toBe(plain);
  });
});
