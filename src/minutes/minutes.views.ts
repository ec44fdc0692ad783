import type { MinutesContent } from './minutes-content';
import type { MinutesVersionKind } from './minutes-version.entity';
import type { MinutesStatus } from './minutes.entity';

export interface MinutesVersionSummary {
  version: number;
  kind: MinutesVersionKind;
  createdAt: Date;
  /** Why it was amended: chairs and coordinators only. */
  reason?: string | null;
}

/** The minutes as one reader may see them: the same document feeds JSON, HTML and PDF. */
export interface MinutesDocument {
  meetingId: string;
  status: MinutesStatus;
  /**
   * `full` for the chair of the meeting and coordinators; `extract` for the others connected with
   * the meeting: the general part and the items they may see (see src/need-to-know).
   */
  scope: 'full' | 'extract';
  /** For an extract: whose it is (the reader's name). */
  extractFor: string | null;
  /** The version shown; null for a draft (composed live from the records). */
  version: number | null;
  /** The latest approved version; 0 while the minutes are a draft. */
  latestVersion: number;
  approvedAt: Date | null;
  /** Printed on every page: "OFFICIAL-SENSITIVE – do not forward". */
  marking: string;
  versions: MinutesVersionSummary[];
  content: MinutesContent;
}

export interface DistributionEntry {
  version: number;
  recipient: string;
  kind: string;
  status: string;
  queuedAt: Date;
  sentAt: Date | null;
}
