import type { CalendarDelivery } from '../calendar/calendar-delivery';
import { Agency } from './agency.entity';
import { Role, User, UserStatus } from './user.entity';

export interface AgencyView {
  id: string;
  name: string;
  sector: string;
  emailDomains: string[];
  active: boolean;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  agency: { id: string; name: string } | null;
  roles: Role[];
  /** `active`, `pending` (waiting for approval) or `disabled`. */
  status: UserStatus;
  /** `status === "active"` (kept for existing clients). */
  active: boolean;
}

/** Your own account (GET /api/me): what others see, and your own choices. */
export interface MeView extends UserView {
  /** How meetings reach your calendar: `invites`, `feed` or `both` (PUT /api/me/calendar-delivery). */
  calendarDelivery: CalendarDelivery;
}

export function toAgencyView(agency: Agency): AgencyView {
  return {
    id: agency.id,
    name: agency.name,
    sector: agency.sector,
    emailDomains: (agency.emailDomains ?? []).map((d) => d.domain).sort(),
    active: agency.active,
  };
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    agency: user.agency ? { id: user.agency.id, name: user.agency.name } : null,
    roles: user.roles,
    status: user.status,
    active: user.active,
  };
}

export function toMeView(user: User): MeView {
  return { ...toUserView(user), calendarDelivery: user.calendarDelivery };
}
