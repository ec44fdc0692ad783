import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Clock } from '../common/clock';
import { ReferenceData } from './reference-data';
import { ReferenceDataService } from './reference-data.service';

/** One threshold document version as the API gives it. */
export interface ThresholdVersionView {
  id: string;
  name: string;
  effectiveFrom: string;
  levels: Array<{ value: number; label: string }>;
  pathways: Array<{ code: string; label: string }>;
  /** The previous version's level → this version's level ("not mapped" when absent). */
  crosswalk: Record<string, number>;
}

@ApiTags('reference data')
@ApiBearerAuth()
@Controller('api/reference-data')
export class ReferenceDataController {
  constructor(
    private readonly referenceData: ReferenceDataService,
    private readonly clock: Clock,
  ) {}

  /**
   * The configured vocabularies: concern categories, levels of need, pathways, sectors, age bands,
   * kinds of item. `levels` and `pathways` are those of the threshold document in force today;
   * `thresholdVersions` lists every version, oldest first (a meeting uses the one in force on its date).
   */
  @Get()
  get(): Omit<ReferenceData, 'thresholdVersions'> & {
    thresholdVersion: string;
    thresholdVersions: ThresholdVersionView[];
  } {
    const today = this.referenceData.versionFor(this.clock.now());
    return {
      ...this.referenceData.data,
      levels: today.levels,
      pathways: today.pathways,
      thresholdVersion: today.id,
      thresholdVersions: this.referenceData.thresholds.versions.map((v) => ({
        id: v.id,
        name: v.name,
        effectiveFrom: v.effectiveFrom,
        levels: v.levels,
        pathways: v.pathways,
        crosswalk: Object.fromEntries([...v.crosswalk].map(([from, to]) => [String(from), to])),
      })),
    };
  }
}
