import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, FieldError, validationFailed } from '../common/domain-error';
import { createValidationPipe } from '../common/validation';
import { AttendanceRegisterDto, AttendeeDto } from './dto/attendance.dto';

/**
 * The API takes the register as a bare JSON array. Nest's global ValidationPipe skips arrays, so
 * this pipe validates it with the same strict rules (unknown fields refused) and reports fields
 * as `[2].agencyId`.
 */
@Injectable()
export class AttendanceBodyPipe implements PipeTransform<unknown, Promise<AttendeeDto[]>> {
  private readonly validation = createValidationPipe();

  async transform(value: unknown): Promise<AttendeeDto[]> {
    if (!Array.isArray(value))
      throw validationFailed([{ field: 'body', messages: ['must be a JSON array of attendees'] }]);
    try {
      const register = (await this.validation.transform(
        { attendees: value },
        { type: 'body', metatype: AttendanceRegisterDto },
      )) as AttendanceRegisterDto;
      return register.attendees;
    } catch (err) {
      if (err instanceof DomainError && Array.isArray(err.details)) {
        throw validationFailed(
          (err.details as FieldError[]).map((e) => ({ ...e, field: e.field.replace(/^attendees\.?/, '') || 'body' })),
        );
      }
      throw err;
    }
  }
}
