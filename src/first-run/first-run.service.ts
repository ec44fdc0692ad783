import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { normaliseEmail } from '../common/email-address';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { AgencyEmailDomain } from '../directory/agency-email-domain.entity';
import { Agency, Sector } from '../directory/agency.entity';
import { Role, User } from '../directory/user.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { DemoStory } from './demo-story';

const DEMO_AGENCIES: Array<{ name: string; sector: Sector; domain: string }> = [
  { name: 'Northshire Children’s Social Care', sector: 'childrens-social-care', domain: 'northshire.gov.uk' },
  { name: 'Northshire Police', sector: 'police', domain: 'northshire.police.uk' },
  { name: 'Northshire Community Health NHS Trust', sector: 'health', domain: 'northshire-health.nhs.uk' },
  { name: 'Riverside Academy', sector: 'education', domain: 'riverside-academy.sch.uk' },
];

const DEMO_USERS: Array<{ email: string; name: string; domain: string; roles: Role[] }> = [
  {
    email: 'coordinator@northshire.gov.uk',
    name: 'Casey Coordinator',
    domain: 'northshire.gov.uk',
    roles: ['coordinator'],
  },
  { email: 'chair@northshire.gov.uk', name: 'Charlie Chair', domain: 'northshire.gov.uk', roles: ['chair'] },
  {
    email: 'dsl@riverside-academy.sch.uk',
    name: 'Dana Lead',
    domain: 'riverside-academy.sch.uk',
    // The school's designated safeguarding lead: books items and approves colleagues' accounts.
    roles: ['professional', 'agency-lead'],
  },
  {
    email: 'health.visitor@northshire-health.nhs.uk',
    name: 'Harper Visitor',
    domain: 'northshire-health.nhs.uk',
    roles: ['professional'],
  },
];

/** The demo accounts, as the start-up box lists them: who to sign in as for each part of the job. */
export const DEMO_SIGN_INS: Array<{ label: string; email: string }> = [
  { label: 'presenter', email: 'dsl@riverside-academy.sch.uk' },
  { label: 'chair', email: 'chair@northshire.gov.uk' },
  { label: 'coordinator', email: 'coordinator@northshire.gov.uk' },
];

/** The audit action that marks a database as holding the demo partnership (demo:reset checks it). */
export const DEMO_SEEDED_ACTION = 'demo-data.seeded';

/**
 * At start-up: makes sure the bootstrap coordinator exists, and outside production fills an
 * empty database with a small demo partnership so that a newcomer can sign in at once.
 */
@Injectable()
export class FirstRunService implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstRun');

  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly story: DemoStory,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.BOOTSTRAP_COORDINATOR_EMAIL) await this.ensureCoordinator(this.config.BOOTSTRAP_COORDINATOR_EMAIL);
    if (this.config.seedDemoData) await this.seedDemo();
  }

  private async ensureCoordinator(rawEmail: string): Promise<void> {
    const email = normaliseEmail(rawEmail);
    try {
      await this.tx.write(async (m) => {
        if (await m.findOneBy(User, { email })) return;
        const user = m.create(User, {
          email,
          name: 'Coordinator',
          agencyId: null,
          roles: ['coordinator'],
          status: 'active',
        });
        await m.insert(User, user);
        await this.audit.record(m, {
          action: 'user.bootstrapped',
          entityType: 'user',
          entityId: user.id,
          actorUserId: null,
        });
        this.logger.log(`Created the first coordinator from BOOTSTRAP_COORDINATOR_EMAIL.`);
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // another instance created it first
    }
  }

  private async seedDemo(): Promise<void> {
    const seeded = await this.tx.write(async (m) => {
      if ((await m.count(Agency)) > 0) return false;
      const agencies = new Map<string, Agency>();
      for (const a of DEMO_AGENCIES) {
        const agency = m.create(Agency, {
          name: a.name,
          sector: a.sector,
          emailDomains: [m.create(AgencyEmailDomain, { domain: a.domain })],
        });
        await m.save(agency);
        agencies.set(a.domain, agency);
      }
      for (const u of DEMO_USERS) {
        if (await m.findOneBy(User, { email: u.email })) continue;
        await m.insert(
          User,
          m.create(User, {
            email: u.email,
            name: u.name,
            agencyId: agencies.get(u.domain)!.id,
            roles: u.roles,
            status: 'active',
          }),
        );
      }
      await this.audit.record(m, { action: DEMO_SEEDED_ACTION, actorUserId: null });
      return true;
    });
    if (!seeded) return;
    const user = (email: string) => this.tx.read((m) => m.findOneByOrFail(User, { email }));
    try {
      await this.story.tell({
        chair: await user('chair@northshire.gov.uk'),
        schoolLead: await user('dsl@riverside-academy.sch.uk'),
        healthVisitor: await user('health.visitor@northshire-health.nhs.uk'),
      });
    } catch (err) {
      // A demo that could not be told in full must not stop the service from starting.
      this.logger.warn(
        `The demo meetings could not all be created (${(err as Error).message}); the demo accounts work. ` +
          'Run npm run demo:reset to try again.',
      );
      return;
    }
    this.logger.log('Demo partnership created: a fortnightly series, items from two agencies and approved minutes.');
  }

  /**
   * Whether this database holds the demo partnership (seeded, and its accounts still active):
   * then every start ends with the box that says where to sign in.
   */
  async demoPresent(): Promise<boolean> {
    if (this.config.isProduction) return false;
    return this.tx.read(async (m) => {
      if (!(await m.existsBy(AuditEvent, { action: DEMO_SEEDED_ACTION }))) return false;
      const presenter = await m.findOneBy(User, { email: DEMO_SIGN_INS[0].email });
      return presenter?.status === 'active';
    });
  }
}
