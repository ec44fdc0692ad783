import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError, FieldError, validationFailed } from '../common/domain-error';
import { emailDomain, normaliseEmail } from '../common/email-address';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { MailOutbox } from '../mail/mail-outbox.service';
import { refusedAgencyDomain } from './agency-domains';
import { AgencyEmailDomain } from './agency-email-domain.entity';
import { Agency } from './agency.entity';
import { CreateAgencyDto, CreateUserDto, ListUsersQuery, UpdateAgencyDto, UpdateUserDto } from './dto/directory.dto';
import { Role, User, UserStatus } from './user.entity';
import { UserLifecycle } from './user-lifecycle';

/** Roles that act for one agency, so the person must belong to one. */
const AGENCY_ROLES: Role[] = ['professional', 'agency-lead'];

@Injectable()
export class DirectoryService {
  private readonly logger = new Logger(DirectoryService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly lifecycle: UserLifecycle,
    private readonly outbox: MailOutbox,
  ) {}

  // --- agencies ---

  async createAgency(dto: CreateAgencyDto): Promise<Agency> {
    this.checkDomains(dto.emailDomains);
    return this.agencyWrite(async (m) => {
      await this.assertDomainsFree(m, dto.emailDomains, null);
      const agency = m.create(Agency, {
        name: dto.name,
        sector: dto.sector,
        active: true,
        emailDomains: dto.emailDomains.map((domain) => m.create(AgencyEmailDomain, { domain })),
      });
      await m.save(agency);
      await this.audit.record(m, {
        action: 'agency.created',
        entityType: 'agency',
        entityId: agency.id,
        details: { sector: agency.sector, emailDomains: dto.emailDomains },
      });
      return agency;
    });
  }

  /** Rename, change sector, replace the e-mail domains, deactivate or reactivate an agency. */
  async updateAgency(id: string, dto: UpdateAgencyDto): Promise<Agency> {
    if (dto.emailDomains) this.checkDomains(dto.emailDomains);
    return this.agencyWrite(async (m) => {
      const agency = await m.findOne(Agency, { where: { id }, relations: { emailDomains: true } });
      if (!agency) throw DomainError.notFound('The agency');
      const before = { name: agency.name, sector: agency.sector, active: agency.active };
      const domainsBefore = agency.emailDomains.map((d) => d.domain).sort();
      const changes: Partial<Agency> = {};
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.sector !== undefined) changes.sector = dto.sector;
      if (dto.active !== undefined) changes.active = dto.active;
      if (Object.keys(changes).length) await m.update(Agency, { id }, changes);
      let domainsAfter = domainsBefore;
      if (dto.emailDomains) {
        await this.assertDomainsFree(m, dto.emailDomains, id);
        await m.delete(AgencyEmailDomain, { agencyId: id });
        if (dto.emailDomains.length) {
          await m.insert(
            AgencyEmailDomain,
            dto.emailDomains.map((domain) => ({ domain, agencyId: id })),
          );
        }
        domainsAfter = [...dto.emailDomains].sort();
      }
      const updated = await m.findOneOrFail(Agency, { where: { id }, relations: { emailDomains: true } });
      const changed = [
        ...(['name', 'sector', 'active'] as const).filter((k) => before[k] !== updated[k]),
        ...(domainsBefore.join() !== domainsAfter.join() ? ['emailDomains'] : []),
      ];
      if (changed.length) {
        await this.audit.record(m, {
          action: before.active && !updated.active ? 'agency.deactivated' : 'agency.updated',
          entityType: 'agency',
          entityId: id,
          details: {
            changed,
            ...(changed.includes('emailDomains') ? { emailDomains: { from: domainsBefore, to: domainsAfter } } : {}),
          },
        });
      }
      return updated;
    });
  }

  listAgencies(): Promise<Agency[]> {
    return this.tx.read((m) => m.find(Agency, { relations: { emailDomains: true }, order: { name: 'ASC' } }));
  }

  /** Webmail and shared national domains prove nothing about who someone works for. */
  private checkDomains(domains: string[]): void {
    const refused = domains.flatMap((domain, index) => {
      const reason = refusedAgencyDomain(domain, this.config.refusedAgencyDomains);
      return reason ? [{ index, domain, reason }] : [];
    });
    if (refused.length === 0) return;
    throw DomainError.unprocessable(
      'DOMAIN_NOT_ALLOWED',
      'Webmail and shared national email domains (such as gmail.com, outlook.com or nhs.net) cannot be an agency’s domain: anyone can have an address there. Use the organisation’s own domain.',
      refused.map((r) => ({ field: `emailDomains[${r.index}]`, domain: r.domain, reason: r.reason })),
    );
  }

  private async assertDomainsFree(m: EntityManager, domains: string[], agencyId: string | null): Promise<void> {
    if (domains.length === 0) return;
    const taken = await m.findBy(AgencyEmailDomain, {
      domain: In(domains),
      ...(agencyId ? { agencyId: Not(agencyId) } : {}),
    });
    if (taken.length > 0) {
      throw DomainError.conflict('DOMAIN_TAKEN', 'An email domain already belongs to another agency.', {
        domains: taken.map((d) => d.domain),
      });
    }
  }

  private async agencyWrite<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.tx.write(work);
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw DomainError.conflict('AGENCY_EXISTS', 'An agency with this name or email domain already exists.');
      }
      throw err;
    }
  }

  // --- users ---

  async createUser(dto: CreateUserDto): Promise<User> {
    try {
      return await this.tx.write(async (m) => {
        const agency = dto.agencyId ? await m.findOneBy(Agency, { id: dto.agencyId, active: true }) : null;
        const errors: FieldError[] = [];
        if (dto.agencyId && !agency) errors.push({ field: 'agencyId', messages: ['is not a known, active agency'] });
        else if (!agency && dto.roles.some((r) => AGENCY_ROLES.includes(r))) {
          errors.push({ field: 'agencyId', messages: ['is required for a professional or an agency lead'] });
        }
        if (errors.length) throw validationFailed(errors);
        const user = m.create(User, {
          email: normaliseEmail(dto.email),
          name: dto.name,
          agencyId: agency?.id ?? null,
          agency,
          roles: dto.roles,
          status: 'active',
        });
        await m.insert(User, user);
        await this.audit.record(m, {
          action: 'user.created',
          entityType: 'user',
          entityId: user.id,
          details: { roles: user.roles, agencyId: user.agencyId },
        });
        return user;
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw DomainError.conflict('EMAIL_TAKEN', 'A user with this email address already exists.');
      throw err;
    }
  }

  /**
   * Coordinators change anything (roles, agency, name, status). An agency lead may only approve
   * (`status: "active"`) or refuse (`status: "disabled"`) a pending account of their own agency;
   * anyone else's account is 404 to them, as for an unknown id.
   */
  async updateUser(id: string, dto: UpdateUserDto, actor: User): Promise<User> {
    return this.tx.write(async (m) => {
      const user = await m.findOne(User, { where: { id }, relations: { agency: true } });
      if (!user || !canSeeUser(actor, user)) throw DomainError.notFound('The user');
      const status = requestedStatus(dto);
      if (!actor.hasRole('coordinator')) {
        const onlyStatus = Object.entries(dto).every(([k, v]) => v === undefined || k === 'status' || k === 'active');
        if (!onlyStatus || status === undefined || user.status !== 'pending') {
          throw DomainError.forbidden('An agency lead can only approve or refuse accounts waiting for approval.');
        }
      }
      if (user.id === actor.id && (status === 'disabled' || (dto.roles && !dto.roles.includes('coordinator')))) {
        throw DomainError.conflict('SELF_LOCKOUT', 'You cannot disable yourself or remove your own coordinator role.');
      }
      const before = { roles: user.roles, status: user.status, agencyId: user.agencyId, name: user.name };
      if (dto.agencyId === null) {
        user.agency = null;
        user.agencyId = null;
      } else if (dto.agencyId !== undefined) {
        const agency = await m.findOneBy(Agency, { id: dto.agencyId });
        if (!agency) throw validationFailed([{ field: 'agencyId', messages: ['is not a known agency'] }]);
        user.agency = agency;
        user.agencyId = agency.id;
      }
      if (dto.roles) user.roles = dto.roles;
      if (status !== undefined) user.status = status;
      if (dto.name !== undefined) user.name = dto.name;
      if (!user.agencyId && user.roles.some((r) => AGENCY_ROLES.includes(r))) {
        throw validationFailed([
          {
            field: dto.agencyId === null ? 'agencyId' : 'roles',
            messages: ['a professional or agency lead must belong to an agency'],
          },
        ]);
      }
      await m.update(
        User,
        { id: user.id },
        { roles: user.roles, status: user.status, agencyId: user.agencyId, name: user.name },
      );

      if (JSON.stringify(before.roles) !== JSON.stringify(user.roles)) {
        await this.audit.record(m, {
          action: 'user.roles-changed',
          entityType: 'user',
          entityId: user.id,
          details: { from: before.roles, to: user.roles },
        });
      }
      if (before.status !== user.status) {
        await this.audit.record(m, {
          action: statusAction(before.status, user.status),
          entityType: 'user',
          entityId: user.id,
          details: { from: before.status, to: user.status },
        });
        if (user.status === 'disabled') await this.lifecycle.deactivated(m, user.id);
        if (before.status === 'pending' && user.status === 'active') await this.tellApproved(m, user);
      }
      if (before.agencyId !== user.agencyId) {
        await this.audit.record(m, {
          action: 'user.agency-changed',
          entityType: 'user',
          entityId: user.id,
          details: { from: before.agencyId, to: user.agencyId },
        });
      }
      if (before.name !== user.name) {
        // As when people change their own name (updateOwnName): recorded, without the names.
        await this.audit.record(m, { action: 'user.name-changed', entityType: 'user', entityId: user.id });
      }
      return user;
    });
  }

  /** Coordinators see everyone; an agency lead sees the people of their own agency. */
  listUsers(query: ListUsersQuery, reader?: User): Promise<User[]> {
    const agencyId = reader && !reader.hasRole('coordinator') ? reader.agencyId : query.agencyId;
    if (reader && !reader.hasRole('coordinator') && !agencyId) return Promise.resolve([]);
    if (query.agencyId && agencyId !== query.agencyId) return Promise.resolve([]);
    return this.tx
      .read((m) =>
        m.find(User, {
          where: { ...(agencyId ? { agencyId } : {}), ...(query.status ? { status: query.status } : {}) },
          relations: { agency: true },
          order: { name: 'ASC' },
        }),
      )
      .then((users) => (query.role ? users.filter((u) => u.roles.includes(query.role!)) : users));
  }

  /** One user with their agency, or 404 (the pages' look-up by id, instead of listing everyone). */
  async getUser(id: string): Promise<User> {
    const user = await this.tx.read((m) => m.findOne(User, { where: { id }, relations: { agency: true } }));
    if (!user) throw DomainError.notFound('The user');
    return user;
  }

  /** One agency with its domains, or 404. */
  async getAgency(id: string): Promise<Agency> {
    const agency = await this.tx.read((m) => m.findOne(Agency, { where: { id }, relations: { emailDomains: true } }));
    if (!agency) throw DomainError.notFound('The agency');
    return agency;
  }

  findUserByEmail(m: EntityManager, email: string): Promise<User | null> {
    return m.findOne(User, { where: { email: normaliseEmail(email) }, relations: { agency: true } });
  }

  /**
   * The active agency whose e-mail domain this address is on, if that domain may register people
   * (a refused domain never does, even if an older agency lists it).
   */
  async findAgencyForEmail(m: EntityManager, email: string): Promise<AgencyEmailDomain | null> {
    const domain = emailDomain(email);
    if (refusedAgencyDomain(domain, this.config.refusedAgencyDomains)) return null;
    const row = await m.findOne(AgencyEmailDomain, { where: { domain }, relations: { agency: true } });
    return row?.agency.active ? row : null;
  }

  /**
   * A first sign-in from a work address of a known agency: the person becomes a professional of
   * that agency, *pending* until a coordinator or the agency's lead approves them (unless the
   * deployment approves that domain automatically). Approvers are e-mailed a link, with no
   * personal details. Called inside the sign-in transaction; a parallel first sign-in loses to
   * the unique index and the caller reads the winner's row. A sign-in provider may give the
   * person's name and approve its own domains (`how`).
   */
  async registerProfessional(
    m: EntityManager,
    email: string,
    how: { name?: string | null; autoApprove?: boolean } = {},
  ): Promise<User | null> {
    const domain = await this.findAgencyForEmail(m, email);
    if (!domain) return null;
    const autoApprove = how.autoApprove === true || this.config.autoApproveDomains.includes(domain.domain);
    const status: UserStatus = autoApprove ? 'active' : 'pending';
    const user = m.create(User, {
      email: normaliseEmail(email),
      name: how.name || nameFromEmail(email),
      agencyId: domain.agencyId,
      agency: domain.agency,
      roles: ['professional'],
      status,
    });
    await m.insert(User, user);
    await this.audit.record(m, {
      action: 'user.self-registered',
      entityType: 'user',
      entityId: user.id,
      actorUserId: user.id,
      details: { agencyId: domain.agencyId, status },
    });
    if (status === 'pending') await this.askForApproval(m, domain.agency);
    this.logger.log(`New professional registered for agency ${domain.agencyId} (${status})`);
    return user;
  }

  /** Tells the coordinators and the agency's leads that an account is waiting for them. */
  private async askForApproval(m: EntityManager, agency: Agency): Promise<void> {
    const approvers = (await m.findBy(User, { status: 'active' })).filter(
      (u) => u.hasRole('coordinator') || (u.hasRole('agency-lead') && u.agencyId === agency.id),
    );
    for (const approver of approvers) {
      await this.outbox.enqueue(m, {
        kind: 'account-waiting-approval',
        to: approver.email,
        subject: `A new account for ${agency.name} is waiting for approval`,
        content: {
          greeting: `Hello ${approver.name},`,
          paragraphs: [
            `Someone with a ${agency.name} email address has signed in for the first time. They cannot see anything until their account is approved.`,
            'Approve it only if you know they work for the agency and need to bring items to the Thresholds and Referrals Meeting.',
          ],
          action: {
            label: 'See accounts waiting for approval',
            url: `${this.config.publicUrl}/admin/users?status=pending`,
          },
        },
      });
    }
  }

  private async tellApproved(m: EntityManager, user: User): Promise<void> {
    await this.outbox.enqueue(m, {
      kind: 'account-approved',
      to: user.email,
      subject: 'Your account has been approved',
      content: {
        greeting: `Hello ${user.name},`,
        paragraphs: [
          `Your account for the ${this.config.SERVICE_NAME} has been approved. You can now see the meetings and book a slot.`,
        ],
        action: { label: 'Go to the service', url: `${this.config.publicUrl}/home` },
      },
    });
  }

  async updateOwnName(userId: string, name: string): Promise<User> {
    return this.tx.write(async (m) => {
      await m.update(User, { id: userId }, { name });
      await this.audit.record(m, { action: 'user.name-changed', entityType: 'user', entityId: userId });
      return m.findOneOrFail(User, { where: { id: userId }, relations: { agency: true } });
    });
  }
}

/** Coordinators see every account; an agency lead the accounts of their own agency. */
export function canSeeUser(actor: User, user: User): boolean {
  if (actor.hasRole('coordinator')) return true;
  return actor.hasRole('agency-lead') && actor.agencyId !== null && user.agencyId === actor.agencyId;
}

function requestedStatus(dto: UpdateUserDto): Exclude<UserStatus, 'pending'> | undefined {
  if (dto.status !== undefined) return dto.status;
  if (dto.active !== undefined) return dto.active ? 'active' : 'disabled';
  return undefined;
}

function statusAction(from: UserStatus, to: UserStatus): string {
  if (to === 'disabled') return from === 'pending' ? 'user.refused' : 'user.disabled';
  return from === 'pending' ? 'user.approved' : 'user.enabled';
}

/** "jo.bloggs@school.sch.uk" → "Jo Bloggs": a readable default the person can change. */
export function nameFromEmail(email: string): string {
  const local = normaliseEmail(email).split('@')[0] ?? '';
  const words = local.split(/[._-]+/).filter(Boolean);
  return (
    words
      .map((w) => w[0].toUpperCase() + w.slice(1))
      .join(' ')
      .slice(0, 120) || local
  );
}
