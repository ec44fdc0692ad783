import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EntityManager, In } from 'typeorm';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { MeetingAudience, wholeMeetingAudience } from '../calendar/meeting-audience';
import { DomainError } from '../common/domain-error';
import { UuidParam } from '../common/uuid-param.pipe';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { User } from '../directory/user.entity';
import { chairsMeeting } from '../meetings/meeting-access';
import { Meeting } from '../meetings/meeting.entity';
import { AttendanceReply } from './attendance-reply.entity';
import type { ReplyAnswer } from './reply-reader';

export interface ExpectedPerson {
  name: string;
  email: string;
  /** Their agency, when they have an account with one. */
  agency: { id: string; name: string } | null;
  role: 'chair' | 'core-member';
  /** Their calendar's answer, or null when none has come. */
  answer: ReplyAnswer | null;
  answeredAt: string | null;
}

export interface ExpectedAttendanceView {
  meetingId: string;
  /** Whether replies are read at all (REPLIES_IMAP_URL): without it every answer stays null. */
  repliesRead: boolean;
  people: ExpectedPerson[];
  /** Agencies with someone who accepted, and agencies whose every invitee declined. */
  agencies: { coming: string[]; notComing: string[] };
}

/**
 * Who is expected at a meeting, from their calendars' replies: its chair and the series' core
 * members (the people the whole meeting is sent to), each with their answer. For the meeting's
 * chair and coordinators, as the agenda is.
 */
@Injectable()
export class ExpectedAttendance {
  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly audience: MeetingAudience,
  ) {}

  async forMeeting(meetingId: string, user: User): Promise<ExpectedAttendanceView> {
    return this.tx.read(async (m) => {
      const meeting = await m.findOneBy(Meeting, { id: meetingId });
      if (!meeting) throw DomainError.notFound('Meeting');
      if (!chairsMeeting(user, meeting))
        throw DomainError.forbidden('Only the chair of this meeting or a coordinator can see who is coming.');
      return expectedAttendanceOf(m, meeting, this.audience, this.config.repliesEnabled);
    });
  }
}

/**
 * Who is coming to `meeting`: its chair and core members (those it is sent to whole) with their
 * answers, for a reader already entitled to it (the API and page check first; the chair's agenda
 * e-mail goes to the chair).
 */
export async function expectedAttendanceOf(
  m: EntityManager,
  meeting: Meeting,
  audience: MeetingAudience,
  repliesRead: boolean,
): Promise<ExpectedAttendanceView> {
  const meetingId = meeting.id;
  const facts = await audience.factsFor(m, meeting);
  const people = wholeMeetingAudience(facts);
  const emails = people.map((p) => p.email.toLowerCase());
  const replies = new Map(
    (await m.findBy(AttendanceReply, { meetingId })).map((r) => [r.email.toLowerCase(), r] as const),
  );
  const accounts = new Map(
    (emails.length ? await m.find(User, { where: { email: In(emails) }, relations: { agency: true } }) : []).map(
      (u) => [u.email.toLowerCase(), u] as const,
    ),
  );
  const view: ExpectedPerson[] = people.map((p) => {
    const key = p.email.toLowerCase();
    const reply = replies.get(key);
    const agency = accounts.get(key)?.agency;
    return {
      name: p.name ?? accounts.get(key)?.name ?? p.email,
      email: p.email,
      agency: agency ? { id: agency.id, name: agency.name } : null,
      role: facts.chair?.email.toLowerCase() === key ? 'chair' : 'core-member',
      answer: reply?.answer ?? null,
      answeredAt: reply?.answeredAt.toISOString() ?? null,
    };
  });
  return { meetingId, repliesRead, people: view, agencies: agenciesOf(view) };
}

/** One line for the chair's agenda e-mail: how many answered what, and the agencies coming. */
export function comingLine(view: ExpectedAttendanceView): string {
  const count = (answer: ReplyAnswer | null) => view.people.filter((p) => p.answer === answer).length;
  const agencies = view.agencies.coming.length ? ` Agencies coming: ${view.agencies.coming.join(', ')}.` : '';
  return `Answers to the invitation: ${count('accepted')} coming, ${count('declined')} not coming, ${count('tentative')} maybe, ${count(null)} not answered.${agencies}`;
}

/** An agency is coming when one of its people accepted; not coming when all of them declined. */
export function agenciesOf(people: ExpectedPerson[]): ExpectedAttendanceView['agencies'] {
  const byAgency = new Map<string, ExpectedPerson[]>();
  for (const p of people) if (p.agency) byAgency.set(p.agency.name, [...(byAgency.get(p.agency.name) ?? []), p]);
  const names = [...byAgency.keys()].sort((a, b) => a.localeCompare(b));
  return {
    coming: names.filter((n) => byAgency.get(n)!.some((p) => p.answer === 'accepted')),
    notComing: names.filter((n) => byAgency.get(n)!.every((p) => p.answer === 'declined')),
  };
}

@ApiTags('meetings')
@ApiBearerAuth()
@Controller('api')
export class ExpectedAttendanceController {
  constructor(private readonly expected: ExpectedAttendance) {}

  /** Who is coming: the chair's and core members' answers to the invitation (replies mailbox). */
  @Get('meetings/:id/expected-attendance')
  @Roles('chair', 'coordinator')
  get(@Param('id', UuidParam) id: string, @CurrentUser() user: User): Promise<ExpectedAttendanceView> {
    return this.expected.forMeeting(id, user);
  }
}
