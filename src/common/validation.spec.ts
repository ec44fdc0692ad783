import 'reflect-metadata';
import { ValidationError } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, ValidateNested, validateSync } from 'class-validator';
import { DomainError } from './domain-error';
import { createValidationPipe, toFieldErrors } from './validation';

class Address {
  @IsString()
  line1: string;

  @IsOptional()
  @IsString()
  @MaxLength(8)
  postcode?: string;
}

class Item {
  @IsInt()
  quantity: number;

  @ValidateNested()
  @Type(() => Address)
  deliverTo: Address;
}

class Order {
  @IsString()
  name: string;

  @ValidateNested({ each: true })
  @Type(() => Item)
  items: Item[];

  @ValidateNested()
  @Type(() => Address)
  billing: Address;
}

function errorsFor(plain: object): ValidationError[] {
  return validateSync(plainToInstance(Order, plain), { validationError: { target: false, value: false } });
}

const valid = {
  name: 'Order',
  items: [{ quantity: 1, deliverTo: { line1: 'A' } }],
  billing: { line1: 'B' },
};

describe('toFieldErrors', () => {
  it('is empty for valid input', () => {
    expect(toFieldErrors(errorsFor(valid))).toEqual([]);
  });

  it('names top-level fields plainly', () => {
    expect(toFieldErrors(errorsFor({ ...valid, name: 42 }))).toEqual([
      { field: 'name', messages: ['name must be a string'] },
    ]);
  });

  it('joins nested object paths with dots', () => {
    const fields = toFieldErrors(errorsFor({ ...valid, billing: { line1: 1, postcode: 'TOO LONG A POSTCODE' } }));
    expect(fields.map((f) => f.field)).toEqual(['billing.line1', 'billing.postcode']);
    expect(fields[1].messages).toEqual(['postcode must be shorter than or equal to 8 characters']);
  });

  it('puts array indexes in brackets, through several levels', () => {
    const fields = toFieldErrors(
      errorsFor({
        ...valid,
        items: [
          { quantity: 1, deliverTo: { line1: 'ok' } },
          { quantity: 'two', deliverTo: { line1: 'ok' } },
          { quantity: 3, deliverTo: { line1: 3 } },
        ],
      }),
    );
    expect(fields.map((f) => f.field)).toEqual(['items[1].quantity', 'items[2].deliverTo.line1']);
    expect(fields[0].messages).toEqual(['quantity must be an integer number']);
  });

  it('keeps every message for a field', () => {
    const [field] = toFieldErrors(errorsFor({ ...valid, billing: { line1: 'x', postcode: 123456789 } }));
    expect(field.field).toBe('billing.postcode');
    expect(field.messages.sort()).toEqual([
      'postcode must be a string',
      'postcode must be shorter than or equal to 8 characters',
    ]);
  });

  it('handles hand-made trees: a numeric property at the top and a prefix', () => {
    const tree = [
      {
        property: '0',
        children: [{ property: 'email', constraints: { isEmail: 'must be an e-mail address' }, children: [] }],
      },
      {
        property: 'tags',
        children: [{ property: '3', constraints: { isString: 'each value must be a string' }, children: [] }],
      },
    ] as ValidationError[];
    expect(toFieldErrors(tree)).toEqual([
      { field: '[0].email', messages: ['must be an e-mail address'] },
      { field: 'tags[3]', messages: ['each value must be a string'] },
    ]);
    expect(toFieldErrors(tree, 'body').map((f) => f.field)).toEqual(['body[0].email', 'body.tags[3]']);
  });

  it('brackets a many-digit index, but not a name that only starts with a digit', () => {
    const tree = [
      {
        property: 'rows',
        children: [
          { property: '12', constraints: { isString: 'must be a string' }, children: [] },
          { property: '2nd', constraints: { isString: 'must be a string' }, children: [] },
        ],
      },
    ] as ValidationError[];
    expect(toFieldErrors(tree).map((f) => f.field)).toEqual(['rows[12]', 'rows.2nd']);
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();

  async function failure(value: unknown): Promise<DomainError> {
    try {
      await pipe.transform(value, { type: 'body', metatype: Order });
    } catch (err) {
      return err as DomainError;
    }
    throw new Error('expected the pipe to refuse the value');
  }

  it('answers 400 VALIDATION_FAILED with field paths, nested and in arrays', async () => {
    const err = await failure({ ...valid, items: [{ quantity: 'x', deliverTo: { line1: 'ok' } }] });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.statusCode).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.details).toEqual([{ field: 'items[0].quantity', messages: ['quantity must be an integer number'] }]);
  });

  it('refuses unknown fields in plain words, at any depth', async () => {
    const err = await failure({ ...valid, admin: true, billing: { line1: 'B', extra: 1 } });
    expect(err.details).toHaveLength(2);
    expect(err.details).toEqual(
      expect.arrayContaining([
        { field: 'admin', messages: ['is not a recognised field'] },
        { field: 'billing.extra', messages: ['is not a recognised field'] },
      ]),
    );
  });

  it('does not echo the refused values', async () => {
    const err = await failure({ ...valid, name: { secret: 'Child A lives at 1 High Street' } });
    expect(JSON.stringify(err.details)).not.toContain('High Street');
  });

  it('does not convert types implicitly', async () => {
    const err = await failure({ ...valid, items: [{ quantity: '1', deliverTo: { line1: 'ok' } }] });
    expect(err.details).toEqual([{ field: 'items[0].quantity', messages: expect.any(Array) }]);
  });

  it('passes valid input through as an instance of the class', async () => {
    const out = await pipe.transform(valid, { type: 'body', metatype: Order });
    expect(out).toBeInstanceOf(Order);
    expect(out.items[0]).toBeInstanceOf(Item);
  });
});
