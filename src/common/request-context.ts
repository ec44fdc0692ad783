import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  ip: string | null;
  userId: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Express middleware: everything a request does can see who asked and from where. */
export function requestContextMiddleware(req: Request, _res: Response, next: NextFunction): void {
  storage.run({ ip: req.ip ?? null, userId: null }, next);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
