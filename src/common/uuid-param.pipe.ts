import { Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from './domain-error';

/**
 * Path ids that are not UUIDs cannot name anything: answer 404 as for an unknown id, so that a
 * malformed URL and a missing record look the same.
 */
@Injectable()
export class UuidParam implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value)) throw DomainError.notFound('The record');
    return value;
  }
}
