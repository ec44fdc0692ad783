import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Booking } from '../bookings/booking.entity';
import { BookingsService } from '../bookings/bookings.service';
import { Clock } from '../common/clock';
import { DomainError, validationFailed } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { isUniqueViolation } from '../database/database-errors';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { MailOutbox } from '../mail/mail-outbox.service';
import { Meeting } from '../meetings/meeting.entity';
import { JobMonitor } from '../observability/job-monitor';
import { Outcome } from '../outcomes/outcome.entity';
import { instantToLondon, londonToday } from '../scheduling/calendar-rules';
import { formatLondonDate } from '../scheduling/london-format';
import { NextStep } from './next-step.entity';
import {
  ASKED_PATHWAYS,
  checkAnswer,
  dueAfter,
  AskedPathway,
  ExpectedResponse,
  isAskedPathway,
  NextStepAnswer,
  stateOfStep,
} from './next-step-rules';

/** Items of meetings older than this are never asked (so that switching the feature on does not mail about last year). */
const ASK_WITHIN_DAYS = 90;

/**
 * What happened after the advice (issue 17, part 2). When the meeting advised a referral to the
 * MASH, early help or another service, the item's presenter is asked, NEXT_STEPS_ASK_WORKING_DAYS
 * working days later, whether it was made and whether they heard back; reminded once; then "no
 * answer" is recorded. Each step is one conditional write with its e-mail in the same
 * transaction, so a second run, a restart or another instance does nothing twice. The e-mails
 * carry the item's reference and the meeting's date only, never case text.
 */
@Injectable()
export class NextStepsService {
  private readonly logger = new Logger('NextSteps');

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tx: TransactionRunner,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
    private readonly bookings: BookingsService,
    private readonly jobs: JobMonitor,
  ) {}

  @Cron('0 5,35 * * * *', { name: 'next-steps' })
  async scheduled(): Promise<void> {
    if (!this.config.SCHEDULED_JOBS_ENABLED) return;
    try {
      await this.jobs.run('next-steps', () => this.runDue());
    } catch (err) {
      this.logger.error(`What-happened-next run failed: ${(err as Error).message}`);
    }
  }

  /** Asks, reminds and records "no answer" wherever due; returns how many of each this run did. */
  async runDue(): Promise<{ asked: number; reminded: number; noAnswer: number }> {
    const now = this.clock.now();
    const done = { asked: 0, reminded: 0, noAnswer: 0 };
    const { ASK, REMIND, TIME } = this.timing();
    const toAsk = await this.tx.read((m) =>
      m
        .createQueryBuilder(Outcome, 'o')
        .innerJoinAndSelect('o.booking', 'b')
        .innerJoinAndSelect('b.presenter', 'u')
        .innerJoinAndSelect('o.meeting', 'mt')
        .leftJoin(NextStep, 'ns', 'ns.bookingId = o.bookingId')
        .where('ns.id IS NULL')
        .andWhere('o.pathway IN (:...pathways)', { pathways: [...ASKED_PATHWAYS] })
        // Released to the presenter (minutes approved, or marked final): they know what was advised.
        .andWhere('o.presenterNotifiedAt IS NOT NULL')
        .andWhere('o.caseTextErasedAt IS NULL')
        .andWhere("b.status = 'booked'")
        .andWhere('mt.startsAt >= :since AND mt.startsAt <= :now', {
          since: new Date(now.getTime() - ASK_WITHIN_DAYS * 86_400_000),
          now,
        })
        .getMany(),
    );
    for (const outcome of toAsk) {
      if (!isAskedPathway(outcome.pathway) || now < dueAfter(outcome.meeting.startsAt, ASK, TIME)) continue;
      if (await this.attempt(`asking about item ${outcome.bookingId}`, () => this.ask(outcome, now))) done.asked++;
    }

    const open = await this.tx.read((m) =>
      m.find(NextStep, { where: { answeredAt: IsNull(), noAnswerAt: IsNull() }, order: { askedAt: 'ASC' } }),
    );
    for (const step of open) {
      if (!step.remindedAt && now >= dueAfter(step.askedAt, REMIND, TIME)) {
        if (await this.attempt(`reminding about item ${step.bookingId}`, () => this.remind(step, now))) done.reminded++;
      } else if (step.remindedAt && now >= dueAfter(step.remindedAt, REMIND, TIME)) {
        const closed = await this.tx.write(async (m) => {
          const res = await m.update(
            NextStep,
            { id: step.id, answeredAt: IsNull(), noAnswerAt: IsNull() },
            { noAnswerAt: now },
          );
          if (res.affected !== 1) return false;
          await this.audit.record(m, {
            action: 'next-step.no-answer',
            entityType: 'booking',
            entityId: step.bookingId,
            actorUserId: null,
          });
          return true;
        });
        if (closed) done.noAnswer++;
      }
    }
    return done;
  }

  /** The question about an item, for its presenter and coordinators (null until asked). */
  async forReader(bookingId: string, user: User): Promise<NextStep | null> {
    const booking = await this.bookings.getForReader(bookingId, user);
    if (booking.presenterUserId !== user.id && !user.hasRole('coordinator')) throw DomainError.notFound('The item');
    return this.askedAbout(bookingId);
  }

  /** Whether (and how) an item's presenter has been asked, for a page that has already decided who may see the item. */
  askedAbout(bookingId: string): Promise<NextStep | null> {
    return this.tx.read((m) => m.findOneBy(NextStep, { bookingId }));
  }

  /**
   * The presenter's answer (again, to correct it: it names the version it read). Nothing else
   * changes the item; the audit records the state, not the dates.
   */
  async answer(bookingId: string, user: User, dto: NextStepAnswer & { version: number }): Promise<NextStep> {
    const booking = await this.bookings.getForReader(bookingId, user);
    if (booking.presenterUserId !== user.id)
      throw DomainError.forbidden('Only the item’s presenter can say what happened next.');
    return this.tx.write(async (m) => {
      const step = await m.findOneBy(NextStep, { bookingId });
      if (!step) throw DomainError.notFound('The question about what happened next');
      if (step.version !== dto.version) throw this.versionConflict();
      const now = this.clock.now();
      const checked = checkAnswer(dto, {
        pathway: step.pathway,
        meetingDate: instantToLondon(booking.meeting.startsAt).date,
        today: londonToday(now),
        expected: this.expected(),
      });
      if (!checked.value) throw validationFailed(checked.errors);
      const res = await m.update(
        NextStep,
        { id: step.id, version: dto.version },
        { ...checked.value, answeredAt: now, version: dto.version + 1 },
      );
      // Another answer committed between the read and this write.
      if (res.affected !== 1) throw this.versionConflict();
      const saved = await m.findOneByOrFail(NextStep, { id: step.id });
      await this.audit.record(m, {
        action: 'next-step.answered',
        entityType: 'booking',
        entityId: bookingId,
        details: { state: stateOfStep(saved), again: step.answeredAt !== null },
      });
      return saved;
    });
  }

  private async ask(outcome: Outcome, now: Date): Promise<boolean> {
    const booking = outcome.booking;
    try {
      return await this.tx.write(async (m) => {
        const step = m.create(NextStep, {
          bookingId: booking.id,
          meetingId: outcome.meetingId,
          agencyId: booking.agencyId,
          presenterUserId: booking.presenterUserId,
          pathway: outcome.pathway as AskedPathway,
          askedAt: now,
          // Nobody to ask: a closed account never answers.
          noAnswerAt: booking.presenter.active ? null : now,
          version: 1,
        });
        await m.insert(NextStep, step);
        if (booking.presenter.active) await this.mail(m, booking, outcome.meeting, 'ask');
        await this.audit.record(m, {
          action: 'next-step.asked',
          entityType: 'booking',
          entityId: booking.id,
          actorUserId: null,
        });
        return true;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return false; // asked by another run meanwhile
      throw err;
    }
  }

  private async remind(step: NextStep, now: Date): Promise<boolean> {
    return this.tx.write(async (m) => {
      const res = await m.update(
        NextStep,
        { id: step.id, answeredAt: IsNull(), remindedAt: IsNull() },
        { remindedAt: now },
      );
      if (res.affected !== 1) return false;
      const booking = await m.findOneOrFail(Booking, { where: { id: step.bookingId }, relations: { presenter: true } });
      const meeting = await m.findOneByOrFail(Meeting, { id: step.meetingId });
      if (booking.presenter.active) await this.mail(m, booking, meeting, 'remind');
      return true;
    });
  }

  private async mail(m: EntityManager, booking: Booking, meeting: Meeting, which: 'ask' | 'remind'): Promise<void> {
    const date = formatLondonDate(meeting.startsAt);
    await this.outbox.enqueue(m, {
      kind: which === 'ask' ? 'next-step-question' : 'next-step-reminder',
      to: booking.presenter.email,
      subject: `${which === 'ask' ? 'What happened next' : 'Reminder: what happened next'}: item ${booking.reference}, ${date}`,
      content: {
        greeting: `Hello ${booking.presenter.name},`,
        paragraphs: [
          `${meeting.title} on ${date} gave advice on your item ${booking.reference}. Please tell us whether the referral or request it advised was made, and whether you have heard back.`,
          'It takes a minute: yes or no, and dates. The answers are counted, by agency, to show the partnership how referrals are going. Please do not reply to this e-mail with details of the child or family.',
        ],
        action: {
          label: 'Tell us what happened next',
          url: `${this.config.publicUrl}/bookings/${booking.id}/next-steps`,
        },
      },
      subjectType: 'booking',
      subjectId: booking.id,
    });
  }

  private timing() {
    return {
      ASK: this.config.NEXT_STEPS_ASK_WORKING_DAYS,
      REMIND: this.config.NEXT_STEPS_REMIND_WORKING_DAYS,
      TIME: this.config.REMINDER_TIME,
    };
  }

  expected(): ExpectedResponse {
    return {
      mashWorkingDays: this.config.NEXT_STEPS_MASH_RESPONSE_WORKING_DAYS,
      otherWorkingDays: this.config.NEXT_STEPS_OTHER_RESPONSE_WORKING_DAYS,
    };
  }

  private versionConflict(): DomainError {
    return DomainError.conflict(
      'NEXT_STEP_VERSION_CONFLICT',
      'The answer was changed since you opened it. Look at it again before changing it.',
    );
  }

  private async attempt(what: string, work: () => Promise<boolean>): Promise<boolean> {
    try {
      return await work();
    } catch (err) {
      this.logger.error(`What-happened-next step failed (${what}): ${(err as Error).message}`);
      return false;
    }
  }
}
