import { Agency } from './agency.entity';
import { Role, User } from './user.entity';

export interface AgencyView {
  id: string;
  name: string;
  sector: string;
  emailDomains: string[];
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  agency: { id: string; name: string } | null;
  roles: Role[];
  active: boolean;
}

export function toAgencyView(agency: Agency): AgencyView {
  return {
    id: agency.id,
    name: agency.name,
    sector: agency.sector,
    emailDomains: (agency.emailDomains ?? []).map((d) => d.domain).sort(),
  };
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    agency: user.agency ? { id: user.agency.id, name: user.agency.name } : null,
    roles: user.roles,
    active: user.active,
  };
}
