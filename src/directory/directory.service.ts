import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { DomainError, validationFailed } from '../common/domain-error';
import { emailDomain, normaliseEmail } from '../common/normalise';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { AgencyEmailDomain } from './agency-email-domain.entity';
import { Agency } from './agency.entity';
import { CreateAgencyDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/directory.dto';
import { User } from './user.entity';
import { UserLifecycle } from './user-lifecycle';

@Injectable()
export class DirectoryService {
  private readonly logger = new Logger(DirectoryService.name);

  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly lifecycle: UserLifecycle,
  ) {}

  async createAgency(dto: CreateAgencyDto): Promise<Agency> {
    try {
      return await this.tx.write(async (m) => {
        const taken = await m.findBy(AgencyEmailDomain, { domain: In(dto.emailDomains) });
        if (taken.length > 0) {
          throw DomainError.conflict('DOMAIN_TAKEN', 'An e-mail domain already belongs to another agency.', {
            domains: taken.map((d) => d.domain),
          });
        }
        const agency = m.create(Agency, {
          name: dto.name,
          sector: dto.sector,
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
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw DomainError.conflict('AGENCY_EXISTS', 'An agency with this name or e-mail domain already exists.');
      }
      throw err;
    }
  }

  listAgencies(): Promise<Agency[]> {
    return this.tx.read((m) => m.find(Agency, { relations: { emailDomains: true }, order: { name: 'ASC' } }));
  }

  async createUser(dto: CreateUserDto): Promise<User> {
    try {
      return await this.tx.write(async (m) => {
        const agency = dto.agencyId ? await m.findOneBy(Agency, { id: dto.agencyId }) : null;
        if (dto.agencyId && !agency)
          throw validationFailed([{ field: 'agencyId', messages: ['is not a known agency'] }]);
        if (dto.roles.includes('professional') && !agency) {
          throw validationFailed([{ field: 'agencyId', messages: ['is required for a professional'] }]);
        }
        const user = m.create(User, {
          email: normaliseEmail(dto.email),
          name: dto.name,
          agencyId: agency?.id ?? null,
          agency,
          roles: dto.roles,
          active: true,
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
        throw DomainError.conflict('EMAIL_TAKEN', 'A user with this e-mail address already exists.');
      throw err;
    }
  }

  async updateUser(id: string, dto: UpdateUserDto, actor: User): Promise<User> {
    return this.tx.write(async (m) => {
      const user = await m.findOne(User, { where: { id }, relations: { agency: true } });
      if (!user) throw DomainError.notFound('The user');
      if (user.id === actor.id && (dto.active === false || (dto.roles && !dto.roles.includes('coordinator')))) {
        throw DomainError.conflict('SELF_LOCKOUT', 'You cannot disable yourself or remove your own coordinator role.');
      }
      const before = { roles: user.roles, active: user.active, agencyId: user.agencyId, name: user.name };
      if (dto.agencyId !== undefined) {
        const agency = await m.findOneBy(Agency, { id: dto.agencyId });
        if (!agency) throw validationFailed([{ field: 'agencyId', messages: ['is not a known agency'] }]);
        user.agency = agency;
        user.agencyId = agency.id;
      }
      if (dto.roles) user.roles = dto.roles;
      if (dto.active !== undefined) user.active = dto.active;
      if (dto.name !== undefined) user.name = dto.name;
      await m.save(user);

      const after = { roles: user.roles, active: user.active, agencyId: user.agencyId };
      if (JSON.stringify(before.roles) !== JSON.stringify(after.roles)) {
        await this.audit.record(m, {
          action: 'user.roles-changed',
          entityType: 'user',
          entityId: user.id,
          details: { from: before.roles, to: after.roles },
        });
      }
      if (before.active !== after.active) {
        await this.audit.record(m, {
          action: after.active ? 'user.enabled' : 'user.disabled',
          entityType: 'user',
          entityId: user.id,
        });
        if (!after.active) await this.lifecycle.deactivated(m, user.id);
      }
      if (before.agencyId !== after.agencyId) {
        await this.audit.record(m, {
          action: 'user.agency-changed',
          entityType: 'user',
          entityId: user.id,
          details: { from: before.agencyId, to: after.agencyId },
        });
      }
      if (before.name !== user.name) {
        // As when people change their own name (updateOwnName): recorded, without the names.
        await this.audit.record(m, { action: 'user.name-changed', entityType: 'user', entityId: user.id });
      }
      return user;
    });
  }

  listUsers(query: ListUsersQuery): Promise<User[]> {
    return this.tx
      .read((m) =>
        m.find(User, {
          where: query.agencyId ? { agencyId: query.agencyId } : {},
          relations: { agency: true },
          order: { name: 'ASC' },
        }),
      )
      .then((users) => (query.role ? users.filter((u) => u.roles.includes(query.role!)) : users));
  }

  findUserByEmail(m: EntityManager, email: string): Promise<User | null> {
    return m.findOne(User, { where: { email: normaliseEmail(email) }, relations: { agency: true } });
  }

  findAgencyForEmail(m: EntityManager, email: string): Promise<AgencyEmailDomain | null> {
    return m.findOne(AgencyEmailDomain, { where: { domain: emailDomain(email) }, relations: { agency: true } });
  }

  /**
   * A first sign-in from a work address of a known agency: the person becomes a professional of
   * that agency. Called inside the sign-in transaction; a parallel first sign-in loses to the
   * unique index and the caller reads the winner's row.
   */
  async registerProfessional(m: EntityManager, email: string): Promise<User | null> {
    const domain = await this.findAgencyForEmail(m, email);
    if (!domain) return null;
    const user = m.create(User, {
      email: normaliseEmail(email),
      name: nameFromEmail(email),
      agencyId: domain.agencyId,
      agency: domain.agency,
      roles: ['professional'],
      active: true,
    });
    await m.insert(User, user);
    await this.audit.record(m, {
      action: 'user.self-registered',
      entityType: 'user',
      entityId: user.id,
      actorUserId: user.id,
      details: { agencyId: domain.agencyId },
    });
    this.logger.log(`New professional registered for agency ${domain.agencyId}`);
    return user;
  }

  async updateOwnName(userId: string, name: string): Promise<User> {
    return this.tx.write(async (m) => {
      await m.update(User, { id: userId }, { name });
      await this.audit.record(m, { action: 'user.name-changed', entityType: 'user', entityId: userId });
      return m.findOneOrFail(User, { where: { id: userId }, relations: { agency: true } });
    });
  }
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
