import { DateTime } from 'luxon';
import { LONDON_ZONE } from '../scheduling/calendar-rules';

/** The pathways every threshold document chooses from (codes are stable; labels may change). */
export const PATHWAYS = [
  'universal',
  'early-help',
  'mash-referral',
  'child-protection',
  'other-service',
  'advice-only',
] as const;
export type Pathway = (typeof PATHWAYS)[number];

export const DEFAULT_PATHWAY_LABELS: Record<Pathway, string> = {
  universal: 'Universal services',
  'early-help': 'Early help / CAF',
  'mash-referral': 'Referral to the MASH',
  'child-protection': 'Child protection procedures now',
  'other-service': 'Another service',
  'advice-only': 'Advice only',
};

/** The version every outcome and item belongs to when THRESHOLD_VERSIONS is unset. */
export const SINGLE_VERSION_ID = 'current';

/**
 * One edition of the partnership's threshold document: its levels of need (lowest first, valued
 * 1..n), the pathways it offers, and from which London date meetings use it. `crosswalk` maps the
 * levels of the version just before it onto its own, so figures can follow a trend across the
 * change; a level it does not map is counted as "not mapped", never guessed.
 */
export interface ThresholdVersion {
  id: string;
  name: string;
  /** `YYYY-MM-DD`: meetings on or after this London date use this version. */
  effectiveFrom: string;
  levels: Array<{ value: number; label: string }>;
  pathways: Array<{ code: Pathway; label: string }>;
  /** The previous version's level value → this version's level value. Empty for the first. */
  crosswalk: Map<number, number>;
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_LEVELS = 10;

/**
 * Reads `THRESHOLD_VERSIONS` (a JSON array, oldest first) into versions, or the errors that stop
 * it, each naming its entry and field. Unset: one version from `LEVEL_LABELS`. Pure.
 */
export function parseThresholdVersions(
  json: string | undefined,
  levelLabels: string,
): { versions: ThresholdVersion[]; errors: string[] } {
  if (json === undefined || json.trim() === '') {
    return {
      versions: [
        {
          id: SINGLE_VERSION_ID,
          name: 'Levels of need',
          effectiveFrom: '1970-01-01',
          levels: levelLabels.split('|').map((label, i) => ({ value: i + 1, label: label.trim() })),
          pathways: PATHWAYS.map((code) => ({ code, label: DEFAULT_PATHWAY_LABELS[code] })),
          crosswalk: new Map(),
        },
      ],
      errors: [],
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { versions: [], errors: ['must be a JSON array of threshold document versions'] };
  }
  if (!Array.isArray(raw) || raw.length === 0)
    return { versions: [], errors: ['must be a JSON array of at least one version'] };
  const errors: string[] = [];
  const versions: ThresholdVersion[] = [];
  raw.forEach((entry: unknown, i) => {
    const at = `entry ${i + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      errors.push(`${at}: must be an object`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const problems: string[] = [];
    if (typeof e.id !== 'string' || !ID.test(e.id))
      problems.push('id must be 1 to 40 lower-case letters, digits or hyphens');
    if (typeof e.name !== 'string' || e.name.trim() === '' || e.name.length > 100)
      problems.push('name must be 1 to 100 characters');
    if (
      // Stryker disable next-line ConditionalExpression: equivalent, DATE refuses what is not a string written as a date
      typeof e.effectiveFrom !== 'string' ||
      !DATE.test(e.effectiveFrom) ||
      !DateTime.fromISO(e.effectiveFrom).isValid
    )
      problems.push('effectiveFrom must be a date, YYYY-MM-DD');
    const levels = e.levels;
    const levelsOk =
      Array.isArray(levels) &&
      levels.length >= 2 &&
      levels.length <= MAX_LEVELS &&
      levels.every((l) => typeof l === 'string' && l.trim() !== '' && l.length <= 100);
    if (!levelsOk) problems.push(`levels must be 2 to ${MAX_LEVELS} labels, lowest first`);
    let pathways = PATHWAYS.map((code) => ({ code, label: DEFAULT_PATHWAY_LABELS[code] }));
    if (e.pathways !== undefined) {
      const p = e.pathways;
      const pathwayCodes = PATHWAYS as readonly string[];
      if (
        // Stryker disable next-line ConditionalExpression: equivalent, a string's keys are its positions, never pathway codes
        typeof p !== 'object' ||
        p === null ||
        Array.isArray(p) ||
        Object.keys(p).length === 0 ||
        Object.entries(p).some(
          ([code, label]) => !pathwayCodes.includes(code) || typeof label !== 'string' || label.trim() === '',
        )
      ) {
        problems.push(`pathways must map some of ${PATHWAYS.join(', ')} to their labels`);
      } else {
        const labels = p as Record<string, string>;
        pathways = PATHWAYS.filter((code) => code in labels).map((code) => ({ code, label: labels[code].trim() }));
      }
    }
    const crosswalk = new Map<number, number>();
    const previous = versions[versions.length - 1] as ThresholdVersion | undefined;
    if (e.crosswalk !== undefined) {
      const c = e.crosswalk;
      if (i === 0) problems.push('crosswalk is for a version that replaces an earlier one; the first has none');
      else if (typeof c !== 'object' || c === null || Array.isArray(c))
        problems.push('crosswalk must map the previous version’s levels to this one’s');
      else {
        const size = levelsOk ? (levels as string[]).length : MAX_LEVELS;
        for (const [from, to] of Object.entries(c)) {
          const fromValue = Number(from);
          const fromOk = /^\d+$/.test(from) && fromValue >= 1 && (!previous || fromValue <= previous.levels.length);
          // Stryker disable next-line ConditionalExpression: equivalent, Number.isInteger refuses what is not a number
          const toOk = typeof to === 'number' && Number.isInteger(to) && to >= 1 && to <= size;
          if (!fromOk || !toOk) {
            problems.push(`crosswalk "${from}" must map a level of the previous version to a level from 1 to ${size}`);
            continue;
          }
          crosswalk.set(fromValue, to);
        }
      }
    }
    if (problems.length) {
      errors.push(`${at}${typeof e.id === 'string' && ID.test(e.id) ? ` (${e.id})` : ''}: ${problems.join('; ')}`);
      return;
    }
    if (versions.some((v) => v.id === e.id)) errors.push(`${at} (${e.id as string}): id is used twice`);
    if (previous && previous.effectiveFrom >= (e.effectiveFrom as string))
      errors.push(
        `${at} (${e.id as string}): effectiveFrom must be later than the previous version’s (${previous.effectiveFrom})`,
      );
    versions.push({
      id: e.id as string,
      name: (e.name as string).trim(),
      effectiveFrom: e.effectiveFrom as string,
      levels: (levels as string[]).map((label, n) => ({ value: n + 1, label: label.trim() })),
      pathways,
      crosswalk,
    });
  });
  return errors.length ? { versions: [], errors } : { versions, errors: [] };
}

/**
 * The threshold document versions, oldest first, and the questions asked of them: which version a
 * meeting uses, and a level of one version in the newest one's terms. Pure.
 */
export class ThresholdVocabulary {
  constructor(readonly versions: ThresholdVersion[]) {
    if (versions.length === 0) throw new Error('at least one threshold document version is needed');
  }

  get oldest(): ThresholdVersion {
    return this.versions[0];
  }

  get newest(): ThresholdVersion {
    return this.versions[this.versions.length - 1];
  }

  /** The version meetings on `at`'s London date use (the oldest for dates before every version). */
  on(at: Date): ThresholdVersion {
    const date = DateTime.fromJSDate(at, { zone: LONDON_ZONE }).toISODate()!;
    let found = this.oldest;
    for (const v of this.versions) if (v.effectiveFrom <= date) found = v;
    return found;
  }

  /**
   * A stamped version, by id. Records made before versions were kept (null), and records stamped
   * with the single version of an unset THRESHOLD_VERSIONS (`current`) once versions are
   * configured, belong to the oldest; an id no longer configured is kept as given (undefined here),
   * so nothing is silently relabelled.
   */
  byId(id: string | null): ThresholdVersion | undefined {
    return this.versions.find((v) => v.id === this.idOf(id));
  }

  /** The id a stamp stands for: see {@link byId}. */
  idOf(stamp: string | null): string {
    if (stamp === null) return this.oldest.id;
    if (stamp === SINGLE_VERSION_ID && !this.versions.some((v) => v.id === SINGLE_VERSION_ID)) return this.oldest.id;
    return stamp;
  }

  /**
   * Whether an edit gives an item's level anew, so that it is checked against `version` (its
   * meeting's) and stamped with it: a level is sent and it is another number, or the item's level
   * is of another document (rebooked across a change: the number now means the new document's
   * level). Otherwise the item keeps the level it was given, in its own version.
   */
  levelGivenAnew(
    given: number | undefined,
    item: { levelConsidered: number | null; thresholdVersion: string | null },
    version: ThresholdVersion,
  ): boolean {
    if (given === undefined) return false;
    return given !== item.levelConsidered || this.idOf(item.thresholdVersion) !== version.id;
  }

  levelLabel(value: number, versionId: string | null): string | undefined {
    return this.byId(versionId)?.levels.find((l) => l.value === value)?.label;
  }

  pathwayLabel(code: string, versionId: string | null): string | undefined {
    return (
      this.byId(versionId)?.pathways.find((p) => p.code === code)?.label ??
      DEFAULT_PATHWAY_LABELS[code as Pathway] ??
      undefined
    );
  }

  /**
   * A level of `versionId` in the newest version's terms, through each later version's crosswalk
   * in turn; null when some step does not map it or the version is not configured.
   */
  toNewest(value: number, versionId: string | null): number | null {
    const version = this.byId(versionId);
    // Stryker disable next-line ConditionalExpression: equivalent, without it the walk starts at the oldest, which has no crosswalk
    if (!version) return null;
    let level: number | undefined = value;
    for (const later of this.versions.slice(this.versions.indexOf(version) + 1)) {
      level = later.crosswalk.get(level);
      if (level === undefined) return null;
    }
    return level;
  }
}
