import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { buildReferenceData, ReferenceData } from './reference-data';
import { ThresholdVersion, ThresholdVocabulary } from './threshold-versions';

@Injectable()
export class ReferenceDataService {
  readonly data: ReferenceData;
  /** The threshold document's versions: which one a meeting uses, labels by version, the crosswalk. */
  readonly thresholds: ThresholdVocabulary;
  private readonly categoryCodes: Set<string>;

  constructor(config: AppConfig) {
    this.thresholds = new ThresholdVocabulary(config.thresholdVersions);
    this.data = buildReferenceData(config, this.thresholds.versions);
    this.categoryCodes = new Set(this.data.concernCategories.map((c) => c.code));
  }

  /** The version a meeting starting at `startsAt` uses (by its London date). */
  versionFor(startsAt: Date): ThresholdVersion {
    return this.thresholds.on(startsAt);
  }

  isConcernCategory(code: string): boolean {
    return this.categoryCodes.has(code);
  }

  /** A level's label in the version a record was stamped with (null: made before stamping, the oldest). */
  levelLabel(value: number, versionId: string | null): string | undefined {
    return this.thresholds.levelLabel(value, versionId);
  }

  pathwayLabel(code: string, versionId: string | null): string | undefined {
    return this.thresholds.pathwayLabel(code, versionId);
  }
}
