import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity } from '../database/base.entity';
import { User } from '../directory/user.entity';
import type { BankHolidayPolicy } from '../scheduling/calendar-rules';

/**
 * How the series' meetings reach its chair's and core members' calendars by e-mail: one
 * recurring invite for the series ('series', the default for a new series), or an invite per
 * meeting ('meetings': every series made before recurring invites, whose people already have
 * those invites in their calendars). Presenters' slots and the feeds are the same either way.
 */
export const CALENDAR_INVITE_FORMS = ['series', 'meetings'] as const;
export type CalendarInviteForm = (typeof CALENDAR_INVITE_FORMS)[number];

/**
 * A recurring meeting: every `intervalWeeks` weeks (normally fortnightly), or by a monthly rule
 * (`recurrence`, "the first Tuesday"). Its wall-clock times are Europe/London.
 */
@Entity('meeting_series')
export class MeetingSeries extends BaseEntity {
  @Column({ type: 'varchar', length: 160 })
  title: string;

  /** 'YYYY-MM-DD': the rhythm is counted from here. */
  @Column({ type: 'varchar', length: 10 })
  firstMeetingDate: string;

  /** 'HH:mm' in Europe/London. */
  @Column({ type: 'varchar', length: 5 })
  startTime: string;

  @Column({ type: 'integer' })
  durationMinutes: number;

  @Column({ type: 'integer' })
  slotMinutes: number;

  /** Weeks between meetings; not used when `recurrence` is set (it keeps its default then). */
  @Column({ type: 'integer', default: 2 })
  intervalWeeks: number;

  /**
   * A monthly rule as a canonical RRULE value (`FREQ=MONTHLY;BYDAY=1TU`), or null for every
   * `intervalWeeks` weeks. Read through `seriesRecurrence`, never on its own.
   */
  @Column({ type: 'varchar', length: 100, nullable: true })
  recurrence: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  location: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  onlineUrl: string | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  chairUserId: string | null;

  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'chairUserId' })
  chair: User | null;

  @Column({ type: 'integer', default: 2 })
  bookingClosesWorkingDaysBefore: number;

  @Column({ type: 'varchar', length: 20 })
  bankHolidayPolicy: BankHolidayPolicy;

  @Column({ type: 'integer', default: 26 })
  horizonWeeks: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Publish the meeting dates (times and status only) at a public feed URL, for agencies' shared calendars. */
  @Column({ type: 'boolean', default: false })
  publicDatesFeed: boolean;

  /** See {@link CalendarInviteForm}. The column's default is for the rows made before it existed. */
  @Column({ type: 'varchar', length: 10, default: 'meetings' })
  calendarInvites: CalendarInviteForm;

  /**
   * iCalendar SEQUENCE of the series' recurring invite: goes up on every change its people see
   * (more meetings, one moved, cancelled or given another chair, who is invited).
   */
  @Column({ type: 'integer', default: 0 })
  sequence: number;
}
