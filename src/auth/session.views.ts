import { Session } from './session.entity';

/** A session as its owner sees it: when it began, when it was last used, when it ends. Never its token. */
export interface SessionView {
  id: string;
  signedInAt: string;
  lastSeenAt: string;
  /** When it ends if not used again (idle or absolute expiry, whichever is first). */
  endsAt: string;
  /** The session this request came with. */
  current: boolean;
}

export function toSessionView(session: Session, endsAt: Date, current: Session): SessionView {
  return {
    id: session.id,
    signedInAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    endsAt: endsAt.toISOString(),
    current: session.id === current.id,
  };
}
