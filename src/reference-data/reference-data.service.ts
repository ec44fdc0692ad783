import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { buildReferenceData, ReferenceData } from './reference-data';

@Injectable()
export class ReferenceDataService {
  readonly data: ReferenceData;
  private readonly categoryCodes: Set<string>;

  constructor(config: AppConfig) {
    this.data = buildReferenceData(config);
    this.categoryCodes = new Set(this.data.concernCategories.map((c) => c.code));
  }

  get maxLevel(): number {
    return this.data.levels.length;
  }

  isConcernCategory(code: string): boolean {
    return this.categoryCodes.has(code);
  }

  levelLabel(value: number): string | undefined {
    return this.data.levels.find((l) => l.value === value)?.label;
  }
}
