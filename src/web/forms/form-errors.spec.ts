import { CreateBookingDto } from '../../bookings/dto/booking.dto';
import { DomainError, validationFailed } from '../../common/domain-error';
import { errorsFromDomain, errorsFromValidation, FormCopy } from './form-errors';
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
});
