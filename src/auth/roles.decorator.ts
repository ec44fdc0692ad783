import { SetMetadata } from '@nestjs/common';
import type { Role } from '../directory/user.entity';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
export const ALLOW_PENDING_KEY = 'allowPending';

/** The route needs a signed-in user holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The route is open to anyone (every other route needs a session). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * The route is open to a signed-in account still waiting for approval (its own details, sign-out).
 * Every other route refuses such an account with 403 ACCOUNT_PENDING.
 */
export const AllowPending = () => SetMetadata(ALLOW_PENDING_KEY, true);
