import { SetMetadata } from '@nestjs/common';
import type { Role } from '../directory/user.entity';

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';

/** The route needs a signed-in user holding at least one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The route is open to anyone (every other route needs a session). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
