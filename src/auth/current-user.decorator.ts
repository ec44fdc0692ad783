import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { User } from '../directory/user.entity';
import type { Session } from './session.entity';

export interface AuthenticatedRequest extends Request {
  user?: User;
  authSession?: Session;
}

/** The signed-in user, set by the access guard. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): User => {
  return ctx.switchToHttp().getRequest<AuthenticatedRequest>().user as User;
});
