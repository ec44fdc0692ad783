import { AppConfig } from '../config/app-config';
import { SECTORS } from '../directory/agency.entity';

export const BOOKING_KINDS = ['threshold-consultation', 'referral-feedback', 'agency-feedback'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];

export const AGE_BANDS = ['unborn', '0-4', '5-10', '11-15', '16-17', '18-25'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const PATHWAYS = [
  'universal',
  'early-help',
  'mash-referral',
  'child-protection',
  'other-service',
  'advice-only',
] as const;
export type Pathway = (typeof PATHWAYS)[number];

const KIND_LABELS: Record<BookingKind, string> = {
  'threshold-consultation': 'Threshold consultation',
  'referral-feedback': 'Feedback on a referral to the MASH',
  'agency-feedback': 'Agency feedback to children’s social care',
};

const PATHWAY_LABELS: Record<Pathway, string> = {
  universal: 'Universal services',
  'early-help': 'Early help / CAF',
  'mash-referral': 'Referral to the MASH',
  'child-protection': 'Child protection procedures now',
  'other-service': 'Another service',
  'advice-only': 'Advice only',
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
  levels: Array<{ value: number; label: string }>;
  pathways: CodeLabel[];
  sectors: CodeLabel[];
  ageBands: CodeLabel[];
  kinds: CodeLabel[];
}

/** The vocabularies, built once from configuration (categories and level labels are the partnership's own). */
export function buildReferenceData(config: AppConfig): ReferenceData {
  return {
    concernCategories: config.CONCERN_CATEGORIES.split('|').map((pair) => {
      const [code, ...label] = pair.split(':');
      return { code: code.trim(), label: label.join(':').trim() };
    }),
    levels: config.LEVEL_LABELS.split('|').map((label, i) => ({ value: i + 1, label: label.trim() })),
    pathways: PATHWAYS.map((code) => ({ code, label: PATHWAY_LABELS[code] })),
    sectors: SECTORS.map((code) => ({ code, label: SECTOR_LABELS[code] ?? code })),
    ageBands: AGE_BANDS.map((code) => ({ code, label: code === 'unborn' ? 'Unborn' : `${code} years` })),
    kinds: BOOKING_KINDS.map((code) => ({ code, label: KIND_LABELS[code] })),
  };
}
