import { CalendarDelivery, DEFAULT_CALENDAR_DELIVERY } from '../calendar/calendar-delivery';
import { Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { Agency } from './agency.entity';

/**
 * - professional: books items for their agency;
 * - agency-lead: the agency's designated safeguarding lead: sees the agency's items and approves
 *   its colleagues' accounts (set by a coordinator; needs an agency);
 * - chair: chairs meetings; coordinator: runs the service.
 */
export const ROLES = ['professional', 'agency-lead', 'chair', 'coordinator'] as const;
export type Role = (typeof ROLES)[number];

/**
 * - active: approved; may use the service as their roles allow;
 * - pending: signed in for the first time from an agency's domain; sees only "waiting for
 *   approval" until a coordinator or the agency's lead approves them;
 * - disabled: cannot sign in; sessions and calendar feed ended.
 */
export const USER_STATUSES = ['active', 'pending', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

@Entity('app_user')
@Unique('UQ_app_user_email', ['email'])
export class User extends BaseEntity {
  /** Stored trimmed and in lower case; the unique index makes addresses unique regardless of case. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  agencyId: string | null;

  @ManyToOne(() => Agency, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agencyId' })
  agency: Agency | null;

  @Column({ type: 'simple-json' })
  roles: Role[];

  @Index('IDX_app_user_status')
  @Column({ type: 'varchar', length: 12, default: 'active' })
  status: UserStatus;

  /** How meetings reach their calendar: invitations by e-mail, their calendar link, or both. */
  @Column({ type: 'varchar', length: 8, default: DEFAULT_CALENDAR_DELIVERY })
  calendarDelivery: CalendarDelivery;

  /** Approved: may do what their roles allow. */
  get active(): boolean {
    return this.status === 'active';
  }

  /** May hold a session (pending accounts may, to see that they are waiting). */
  get canSignIn(): boolean {
    return this.status !== 'disabled';
  }

  hasRole(...roles: Role[]): boolean {
    return roles.some((r) => this.roles.includes(r));
  }
}
