import { AppConfig } from '../config/app-config';
import { SECTORS } from '../directory/agency.entity';
import { ThresholdVersion } from './threshold-versions';

export { PATHWAYS } from './threshold-versions';
export type { Pathway } from './threshold-versions';

export const BOOKING_KINDS = ['threshold-consultation', 'referral-feedback', 'agency-feedback'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

export const AGE_BANDS = ['unborn', '0-4', '5-10', '11-15', '16-17', '18-25'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const KIND_LABELS: Record<BookingKind, string> = {
  'threshold-consultation': 'Threshold consultation',
  'referral-feedback': 'Feedback on a referral to the MASH',
  'agency-feedback': 'Agency feedback to children’s social care',
};

const SECTOR_LABELS: Record<string, string> = {
  health: 'Health',
  education: 'Education',
  police: 'Police',
  'childrens-social-care': 'Children’s social care',
  'early-help': 'Early help',
  voluntary: 'Voluntary sector',
  probation: 'Probation',
  housing: 'Housing',
  other: 'Other',
};

export interface CodeLabel {
  code: string;
  label: string;
}

export interface ReferenceData {
  concernCategories: CodeLabel[];
  /** The newest threshold document version's levels (`thresholdVersions` has every version's). */
  levels: Array<{ value: number; label: string }>;
  /** The newest threshold document version's pathways. */
  pathways: CodeLabel[];
  /** The threshold document's versions, oldest first. */
  thresholdVersions: ThresholdVersion[];
  sectors: CodeLabel[];
  ageBands: CodeLabel[];
  kinds: CodeLabel[];
}

/**
 * The vocabularies, built once from configuration (categories, levels and pathways are the
 * partnership's own). `versions` are the threshold document's versions, oldest first.
 */
export function buildReferenceData(
  config: AppConfig,
  versions: ThresholdVersion[] = config.thresholdVersions,
): ReferenceData {
  const newest = versions[versions.length - 1];
  return {
    concernCategories: config.CONCERN_CATEGORIES.split('|').map((pair) => {
      const [code, ...label] = pair.split(':');
      return { code: code.trim(), label: label.join(':').trim() };
    }),
    levels: newest.levels,
    pathways: newest.pathways,
    thresholdVersions: versions,
    sectors: SECTORS.map((code) => ({ code, label: SECTOR_LABELS[code] ?? code })),
    ageBands: AGE_BANDS.map((code) => ({ code, label: code === 'unborn' ? 'Unborn' : `${code} years` })),
    kinds: BOOKING_KINDS.map((code) => ({ code, label: KIND_LABELS[code] })),
  };
}
