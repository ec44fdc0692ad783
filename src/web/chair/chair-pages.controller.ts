import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { toBookingDetail } from '../../bookings/booking.views';
import { BookingsService } from '../../bookings/bookings.service';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { User } from '../../directory/user.entity';
import { MeetingView } from '../../meetings/meeting.views';
import { MeetingsService } from '../../meetings/meetings.service';
import { CreateActionDto, UpdateActionDto, ACTION_DESCRIPTION_MAX } from '../../outcomes/dto/action.dto';
import { AttendanceRegisterDto } from '../../outcomes/dto/attendance.dto';
import { ADVICE_MAX, RecordOutcomeDto } from '../../outcomes/dto/outcome.dto';
import { QUALITY_ISSUE_LABELS, QUALITY_ISSUES } from '../../outcomes/outcome.entity';
import { AttendanceService } from '../../outcomes/attendance.service';
import { ActionsService } from '../../outcomes/actions.service';
import { CLOSED_REASON_LABELS, CLOSED_REASONS } from '../../outcomes/meeting-action.entity';
import { OutcomeView } from '../../outcomes/outcome.views';
import { OutcomesService } from '../../outcomes/outcomes.service';
import { LONDON_ZONE } from '../../scheduling/calendar-rules';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import {
  checkWith,
  dateFromParts,
  dateParts,
  FormBody,
  formFields,
  integer,
  list,
  text,
  yesNo,
} from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';
import { DeferralService } from '../../outcomes/deferral.service';
import { MinutesService } from '../../minutes/minutes.service';
import { amendmentErrors, amendmentFrom, versionShown } from './amendment-form';
import { ReferenceDataService } from '../../reference-data/reference-data.service';

/** An item's reference, e.g. TRM-2026-0042. */
export const REFERENCE = /^TRM-\d{4}-\d{4,}$/;

/** How many empty rows the attendance form offers (more with "Add more rows"). */
const BLANK_ROWS = 3;

interface AttendeeRow {
  /** The person's account, when the row is a known user (a presenter, or chosen earlier). */
  userId?: string;
  name?: string;
  email?: string;
  agencyId?: string;
  role?: string;
  status?: string;
  bookingIds: string[];
  confidentialityAccepted: boolean;
}

/**
 * Running a meeting, for its chair and coordinators: the meetings they run, attendance, each
 * item's outcome one page at a time, and actions. Every rule (who may record, what an outcome
 * must hold, approved minutes are locked) is the services'; these pages call them.
 */
@WebPages()
@Controller()
@Roles('chair', 'coordinator')
export class ChairPagesController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly bookings: BookingsService,
    private readonly attendance: AttendanceService,
    private readonly outcomes: OutcomesService,
    private readonly actions: ActionsService,
    private readonly directory: DirectoryService,
    private readonly deferrals: DeferralService,
    private readonly minutes: MinutesService,
    private readonly clock: Clock,
    private readonly referenceData: ReferenceDataService,
  ) {}

  @Get('chair')
  async list(@Req() req: AuthenticatedRequest, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const now = this.clock.now();
    const today = DateTime.fromJSDate(now, { zone: LONDON_ZONE }).startOf('day');
    const all = await this.meetings.list(
      { from: today.minus({ weeks: 8 }).toISODate()!, to: today.plus({ weeks: 16 }).toISODate()! },
      user,
    );
    const mine = all.filter(
      (m) => m.agenda !== undefined && (user.hasRole('coordinator') || m.chairUserId === user.id),
    );
    renderPage(req, res, 'chair/meetings', {
      title: user.hasRole('coordinator') ? 'Meetings' : 'Meetings you chair',
      past: mine.filter((m) => m.startsAt < now).reverse(),
      upcoming: mine.filter((m) => m.startsAt >= now),
    });
  }

  // --- attendance ---

  @Get('meetings/:id/attendance')
  async attendancePage(
    @Param('id', UuidParam) id: string,
    @Query('saved') saved: string | undefined,
    @Query('amended') amended: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const meeting = await this.meetingToRun(id, user);
    const register = await this.attendance.get(id, user);
    let rows: AttendeeRow[] = register.attendees.map((a) => ({
      userId: a.userId ?? undefined,
      name: a.name,
      email: a.email ?? undefined,
      agencyId: a.agency.id,
      role: a.role ?? undefined,
      status: a.status,
      bookingIds: a.bookingIds,
      confidentialityAccepted: a.confidentialityAccepted,
    }));
    // An empty register starts from the agenda: one row per presenter (by account), for their own items.
    if (rows.length === 0) {
      const byPresenter = new Map<string, AttendeeRow>();
      for (const item of meeting.agenda ?? []) {
        const row = byPresenter.get(item.presenter.id) ?? {
          userId: item.presenter.id,
          name: item.presenter.name,
          agencyId: item.agency.id,
          bookingIds: [],
          confidentialityAccepted: false,
        };
        row.bookingIds.push(item.id);
        byPresenter.set(item.presenter.id, row);
      }
      rows = [...byPresenter.values()];
    }
    await this.renderAttendance(req, res, meeting, rows, register.confidentialityStatement, {
      saved: saved === '1',
      amended: versionShown(amended),
      version: register.version,
      amending: await this.amending(id),
    });
  }

  @Post('meetings/:id/attendance')
  async saveAttendance(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const meeting = await this.meetingToRun(id, user);
    const fields = formFields(body);
    const rows = parseAttendeeRows(fields);
    const register = await this.attendance.get(id, user);
    const statement = register.confidentialityStatement;
    // The register as it was when the form was opened: a change made since (another tab) is not saved over.
    const version = text(fields, 'version');
    // Once the minutes are approved, saving the register amends them (with a reason).
    const amending = await this.amending(id);
    const reason = text(fields, 'reason');
    // The minutes' version the form was opened on: an amendment made since is not saved over.
    const opened = integer(text(fields, 'minutesVersion'));
    const openedOn = amending && typeof opened === 'number' ? { version: opened } : amending;
    if (text(fields, 'action') === 'more')
      return this.renderAttendance(req, res, meeting, rows, statement, {
        extraRows: BLANK_ROWS * 2,
        version,
        amending: openedOn,
        reason,
      });

    // Rows left empty are not people.
    const people = rows
      .map((row, index) => ({ row, index }))
      .filter(({ row }) => row.name || row.email || row.role || row.status);
    const attendees = people.map(({ row }) => ({
      ...(row.userId ? { userId: row.userId } : {}),
      name: row.name,
      email: row.email,
      agencyId: row.agencyId,
      role: row.role,
      status: row.status,
      bookingIds: row.bookingIds,
      confidentialityAccepted: row.confidentialityAccepted,
    }));
    const rowOf = people.map((p) => p.index);
    const copy = attendanceCopy(rowOf);
    const checked = await checkWith(AttendanceRegisterDto, { attendees });
    let errors = errorsFromValidation(checked.errors, { attendees }, copy);
    const amendment = amending ? await amendmentFrom(fields, { checkVersion: true, recordingPage: true }) : null;
    if (amendment) errors = errors.add(amendment.errors.items);
    if (!errors.any) {
      const saved = await formAttempt(
        async () =>
          amendment
            ? (await this.minutes.amend(id, { ...amendment.value, attendance: checked.value.attendees }, user))
                .latestVersion
            : (await this.attendance.replace(id, checked.value.attendees, user, version), null),
        // The service names register fields `[2].agencyId`; the copy knows them that way too.
        (err) => (amendment ? amendmentErrors(err, copy, 'attendance') : errorsFromDomain(err, copy)),
      );
      if (saved.ok && saved.value !== null) return seeOther(res, `/meetings/${id}/attendance?amended=${saved.value}`);
      if (saved.ok) return seeOther(res, `/meetings/${id}/attendance?saved=1`);
      errors = saved.errors;
    }
    const conflict = ['ATTENDANCE_VERSION_CONFLICT', 'MINUTES_VERSION_CONFLICT'].includes(errors.refusal?.code ?? '');
    await this.renderAttendance(req, res, meeting, rows, statement, {
      errors: byFormRow(errors, rowOf),
      status: conflict ? 409 : 400,
      // After a conflict the chair has seen the message: saving again replaces the newer register knowingly.
      version: conflict ? register.version : version,
      amending: conflict || errors.refusal?.code === 'MINUTES_APPROVED' ? await this.amending(id) : openedOn,
      reason,
    });
  }

  // --- outcomes, one item per page ---

  @Get('meetings/:id/items/:bookingId')
  async itemPage(
    @Param('id', UuidParam) id: string,
    @Param('bookingId', UuidParam) bookingId: string,
    @Query('saved') saved: string | undefined,
    @Query('amended') amended: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const { meeting, item } = await this.agendaItem(id, bookingId, user);
    const outcome = await this.outcomeOf(item.id, user);
    // Only a reference or a version number is ever shown back from the URL.
    const savedReference = saved && REFERENCE.test(saved) ? saved : null;
    await this.renderItem(req, res, user, meeting, item.id, outcome, formFromOutcome(outcome), {
      saved: savedReference,
      amended: versionShown(amended),
      amending: await this.amending(id),
    });
  }

  /**
   * Saves the outcome of the item named in the URL, never of whatever sits at a position now. The
   * form carries the outcome's version it was opened on: if someone saved since (another tab,
   * another chair), nothing is saved and the page says what changed.
   */
  @Post('meetings/:id/items/:bookingId')
  async recordOutcome(
    @Param('id', UuidParam) id: string,
    @Param('bookingId', UuidParam) bookingId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const { meeting, item } = await this.agendaItem(id, bookingId, user);
    const fields = formFields(body);
    // Once the minutes are approved, saving the outcome amends them (with a reason).
    const amending = await this.amending(id);
    const dto = outcomeFrom(fields, item.kind);
    if (amending) delete dto.final;
    const checked = await checkWith(RecordOutcomeDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, OUTCOME_COPY);
    // The outcome's own version guards it, so another part amended meanwhile does not stop this one.
    const amendment = amending ? await amendmentFrom(fields, { checkVersion: false, recordingPage: true }) : null;
    if (amendment) errors = errors.add(amendment.errors.items);
    let conflict = false;
    if (!errors.any) {
      const saved = await formAttempt(
        async () =>
          amendment
            ? (
                await this.minutes.amend(
                  id,
                  { ...amendment.value, outcomes: [{ ...checked.value, bookingId: item.id }] },
                  user,
                )
              ).latestVersion
            : (await this.outcomes.record(item.id, checked.value, user), null),
        (err) => {
          conflict = err.code === 'OUTCOME_VERSION_CONFLICT';
          return amendment ? amendmentErrors(err, OUTCOME_COPY, 'outcomes[0]') : errorsFromDomain(err, OUTCOME_COPY);
        },
      );
      if (saved.ok && saved.value !== null)
        return seeOther(res, `/meetings/${id}/items/${item.id}?amended=${saved.value}`);
      if (saved.ok) {
        const agenda = meeting.agenda!;
        const next = agenda[agenda.findIndex((x) => x.id === item.id) + 1] ?? item;
        return seeOther(res, `/meetings/${id}/items/${next.id}?saved=${encodeURIComponent(item.reference)}`);
      }
      errors = saved.errors;
    }
    const outcome = await this.outcomeOf(item.id, user);
    // The chair's entry stays in the form, with the version now stored: saving again (having
    // seen what changed) replaces it knowingly.
    const form = {
      ...formFromFields(fields),
      version: String(outcome?.version ?? 0),
      reason: text(fields, 'reason'),
    };
    await this.renderItem(req, res, user, meeting, item.id, outcome, form, {
      errors,
      status: conflict ? 409 : 400,
      changedSinceOpened: conflict,
      amending: await this.amending(id),
    });
  }

  /** "Carry forward" asks first, saying where the item goes and that its presenter is told. */
  @Get('meetings/:id/items/:bookingId/defer')
  async confirmDefer(
    @Param('id', UuidParam) id: string,
    @Param('bookingId', UuidParam) bookingId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const { meeting, item } = await this.agendaItem(id, bookingId, user);
    renderPage(req, res, 'chair/item-defer', {
      title: `Carry ${item.reference} forward?`,
      meeting,
      item,
      next: await this.deferrals.whereNext(item.id, user),
      backLink: `/meetings/${id}/items/${item.id}`,
    });
  }

  @Post('meetings/:id/items/:bookingId/defer')
  async defer(
    @Param('id', UuidParam) id: string,
    @Param('bookingId', UuidParam) bookingId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const { meeting, item } = await this.agendaItem(id, bookingId, user);
    const deferred = await formAttempt(
      () => this.deferrals.defer(item.id, user),
      (err) => errorsFromDomain(err, {}),
    );
    if (deferred.ok) return seeOther(res, `/meetings/${id}?deferred=${encodeURIComponent(item.reference)}`);
    const outcome = await this.outcomeOf(item.id, user);
    await this.renderItem(req, res, user, meeting, item.id, outcome, formFromOutcome(outcome), {
      errors: deferred.errors,
      status: 409,
      amending: await this.amending(id),
    });
  }

  // --- actions ---

  @Get('meetings/:id/actions')
  async actionsPage(
    @Param('id', UuidParam) id: string,
    @Query('saved') saved: string | undefined,
    @Query('amended') amended: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const meeting = await this.meetingToRun(id, user);
    await this.renderActions(req, res, user, meeting, {}, { saved: saved ?? null, amended: versionShown(amended) });
  }

  @Post('meetings/:id/actions')
  async addAction(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const meeting = await this.meetingToRun(id, user);
    const fields = formFields(body);
    const dto = {
      description: text(fields, 'description'),
      ownerAgencyId: text(fields, 'ownerAgencyId'),
      ownerName: text(fields, 'ownerName'),
      dueDate: dateFromParts(fields, 'dueDate'),
      bookingId: text(fields, 'bookingId'),
    };
    const checked = await checkWith(CreateActionDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, ACTION_COPY);
    // Once the minutes are approved, an action agreed at the meeting is added by amending them.
    const amendment = (await this.amending(id))
      ? await amendmentFrom(fields, { checkVersion: false, recordingPage: true })
      : null;
    if (amendment) errors = errors.add(amendment.errors.items);
    if (!errors.any) {
      const added = await formAttempt(
        async () =>
          amendment
            ? (await this.minutes.amend(id, { ...amendment.value, actions: [checked.value] }, user)).latestVersion
            : (await this.actions.create(id, checked.value, user), null),
        (err) => (amendment ? amendmentErrors(err, ACTION_COPY, 'actions[0]') : errorsFromDomain(err, ACTION_COPY)),
      );
      if (added.ok && added.value !== null) return seeOther(res, `/meetings/${id}/actions?amended=${added.value}`);
      if (added.ok) return seeOther(res, `/meetings/${id}/actions?saved=added`);
      errors = added.errors;
    }
    await this.renderActions(
      req,
      res,
      user,
      meeting,
      { ...dto, dueDate: dateParts(dto.dueDate), reason: text(fields, 'reason') },
      { errors, status: 400 },
    );
  }

  @Post('meetings/:id/actions/:actionId')
  async changeAction(
    @Param('id', UuidParam) id: string,
    @Param('actionId', UuidParam) actionId: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const meeting = await this.meetingToRun(id, user);
    const fields = formFields(body);
    const status = text(fields, 'status');
    const dto = { status, closedReason: status === 'closed' ? text(fields, `closedReason-${actionId}`) : undefined };
    const copy: FormCopy = {
      status: { label: 'Status', id: `status-${actionId}`, required: 'Choose what to do with the action' },
      closedReason: {
        label: 'Reason for closing',
        id: `closedReason-${actionId}`,
        required: 'Select why the action is being closed',
        refused: 'Select why the action is being closed',
      },
    };
    const checked = await checkWith(UpdateActionDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, copy);
    if (!errors.any) {
      const changed = await formAttempt(
        () => this.actions.update(actionId, checked.value, user),
        (err) => errorsFromDomain(err, copy),
      );
      if (changed.ok) return seeOther(res, `/meetings/${id}/actions?saved=changed`);
      errors = changed.errors;
    }
    // Each action has its own little form: its errors belong to it.
    errors = new FormErrors(
      errors.items.map((e) => ({ ...e, field: `${e.field}-${actionId}` })),
      errors.refusal,
    );
    await this.renderActions(req, res, user, meeting, {}, { errors, status: 400 });
  }

  // --- helpers ---

  /** Approved minutes (their latest version): the recording pages amend them, with a reason. */
  private async amending(id: string): Promise<{ version: number } | null> {
    const version = await this.minutes.approvedVersion(id);
    return version === null ? null : { version };
  }

  /** The meeting, if this person runs it (its chair, or a coordinator); otherwise 403. */
  private async meetingToRun(id: string, user: User): Promise<MeetingView> {
    const meeting = await this.meetings.get(id, user);
    if (meeting.agenda === undefined)
      throw DomainError.forbidden('Only the chair of this meeting or a coordinator can run it.');
    return meeting;
  }

  /**
   * The item, by its id, on this meeting's agenda. An item that has left the agenda since the
   * page was opened (carried forward, withdrawn) is a conflict with a way to it, never another item.
   */
  private async agendaItem(id: string, bookingId: string, user: User) {
    const meeting = await this.meetingToRun(id, user);
    const item = meeting.agenda!.find((x) => x.id === bookingId);
    if (item) return { meeting, item };
    const elsewhere = await this.bookings.getForReader(bookingId, user).catch(() => null);
    if (!elsewhere) throw DomainError.notFound('The item');
    throw DomainError.conflict(
      'ITEM_NOT_ON_AGENDA',
      `${elsewhere.reference} is no longer on this meeting’s agenda (it has been carried forward, withdrawn or moved), so nothing was saved. Open the item from its meeting’s agenda.`,
      { bookingId: elsewhere.id, meetingId: elsewhere.meetingId },
    );
  }

  private async outcomeOf(bookingId: string, user: User): Promise<OutcomeView | null> {
    try {
      return await this.outcomes.get(bookingId, user);
    } catch (err) {
      // The item is on this chair's agenda, so a 404 here means "no outcome yet".
      if (err instanceof DomainError && err.statusCode === 404) return null;
      throw err;
    }
  }

  private async renderAttendance(
    req: AuthenticatedRequest,
    res: Response,
    meeting: MeetingView,
    rows: AttendeeRow[],
    statement: string,
    opts: {
      errors?: FormErrors;
      status?: number;
      saved?: boolean;
      amended?: number;
      extraRows?: number;
      version?: string;
      amending: { version: number } | null;
      reason?: string;
    },
  ): Promise<void> {
    const agencies = await this.directory.listAgencies();
    const all = [
      ...rows,
      ...Array.from(
        { length: opts.extraRows ?? BLANK_ROWS },
        () => ({ bookingIds: [], confidentialityAccepted: false }) as AttendeeRow,
      ),
    ];
    renderPage(
      req,
      res,
      'chair/attendance',
      {
        title: 'Attendance',
        meeting,
        rows: all,
        agencies,
        statement,
        version: opts.version,
        amending: opts.amending,
        reason: opts.reason,
        errors: opts.errors,
        saved: opts.saved,
        amended: opts.amended,
        backLink: `/meetings/${meeting.id}`,
      },
      opts.status ?? 200,
    );
  }

  private async renderItem(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    meeting: MeetingView,
    bookingId: string,
    outcome: OutcomeView | null,
    form: Record<string, unknown>,
    opts: {
      errors?: FormErrors;
      status?: number;
      saved?: string | null;
      changedSinceOpened?: boolean;
      amending: { version: number } | null;
      amended?: number;
    },
  ): Promise<void> {
    const booking = await this.bookings.getForReader(bookingId, user);
    const item = toBookingDetail(booking);
    // The case's history at the meeting (need to know, rule 5).
    const history = await this.bookings.historyFor(booking, user);
    const agenda = meeting.agenda!;
    // The position is only a label ("Item 2 of 6"); every link and form names the item's id.
    const index = agenda.findIndex((x) => x.id === bookingId);
    const position = index + 1;
    renderPage(
      req,
      res,
      'chair/item',
      {
        title: `Item ${position} of ${agenda.length}: ${item.reference}`,
        meeting,
        item,
        history,
        position,
        outcome,
        form,
        adviceMax: ADVICE_MAX,
        // The levels and pathways offered are those of the meeting's threshold document.
        thresholds: this.referenceData.versionFor(new Date(meeting.startsAt)),
        qualityIssues: QUALITY_ISSUES.map((code) => ({ code, label: QUALITY_ISSUE_LABELS[code] })),
        previous:
          index > 0
            ? { href: `/meetings/${meeting.id}/items/${agenda[index - 1].id}`, labelText: agenda[index - 1].reference }
            : null,
        next:
          index < agenda.length - 1
            ? { href: `/meetings/${meeting.id}/items/${agenda[index + 1].id}`, labelText: agenda[index + 1].reference }
            : null,
        changedSinceOpened: opts.changedSinceOpened ?? false,
        amending: opts.amending,
        amended: opts.amended,
        meetingStarted: this.clock.now() >= new Date(meeting.startsAt),
        errors: opts.errors,
        saved: opts.saved,
        backLink: `/meetings/${meeting.id}`,
      },
      opts.status ?? 200,
    );
  }

  private async renderActions(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    meeting: MeetingView,
    form: Record<string, unknown>,
    opts: { errors?: FormErrors; status?: number; saved?: string | null; amended?: number },
  ): Promise<void> {
    renderPage(
      req,
      res,
      'chair/actions',
      {
        title: 'Actions',
        meeting,
        actions: await this.actions.listForMeeting(meeting.id, user),
        agencies: await this.directory.listAgencies(),
        closedReasons: CLOSED_REASONS.map((code) => ({ code, label: CLOSED_REASON_LABELS[code] })),
        descriptionMax: ACTION_DESCRIPTION_MAX,
        form: { dueDate: dateParts(undefined), ...form },
        amending: await this.amending(meeting.id),
        amended: opts.amended,
        errors: opts.errors,
        saved: opts.saved,
        backLink: `/meetings/${meeting.id}`,
      },
      opts.status ?? 200,
    );
  }
}

// --- attendance form ---

function parseAttendeeRows(fields: FormBody): AttendeeRow[] {
  const count = Math.min(Number(text(fields, 'rows') ?? 0) || 0, 200);
  return Array.from({ length: count }, (_, i) => ({
    userId: text(fields, `userId-${i}`) || undefined,
    name: text(fields, `name-${i}`),
    email: text(fields, `email-${i}`),
    agencyId: text(fields, `agencyId-${i}`),
    role: text(fields, `role-${i}`),
    status: text(fields, `status-${i}`),
    bookingIds: list(fields, `items-${i}`),
    confidentialityAccepted: text(fields, `accepted-${i}`) === 'yes',
  }));
}

/** The register's fields for the people entered (`rows`: each person's row on the form). */
function attendanceCopy(rows: number[]): FormCopy {
  const copy: FormCopy = {};
  rows.forEach((row, i) => {
    const who = `person ${row + 1}`;
    for (const key of [`attendees.${i}`, `[${i}]`]) {
      copy[`${key}.name`] = { label: `The name of ${who}`, id: `name-${row}`, required: `Enter the name of ${who}` };
      copy[`${key}.email`] = {
        label: `The email address of ${who}`,
        id: `email-${row}`,
        required: `Enter the email address of ${who}`,
        invalid: `Enter the email address of ${who} in the correct format, like name@school.sch.uk`,
      };
      copy[`${key}.agencyId`] = {
        label: `The agency of ${who}`,
        id: `agencyId-${row}`,
        required: `Select the agency of ${who}`,
        invalid: `Select the agency of ${who}`,
        refused: `Select the agency of ${who}`,
      };
      copy[`${key}.role`] = { label: `The role of ${who}`, id: `role-${row}`, required: `Enter the role of ${who}` };
      copy[`${key}.status`] = {
        label: `Attendance of ${who}`,
        id: `status-${row}`,
        required: `Select whether ${who} was present, sent apologies or was absent`,
      };
      copy[`${key}.bookingIds`] = { label: `The items ${who} attended for`, id: `items-${row}`, required: '' };
      copy[`${key}.confidentialityAccepted`] = {
        label: `Confidentiality for ${who}`,
        id: `accepted-${row}`,
        required: '',
        refused: `Only someone present can accept the confidentiality statement (${who})`,
      };
    }
  });
  return copy;
}

/**
 * Errors about the n-th person entered (`attendees.1.name` from the DTO, `[1].agencyId` from the
 * service) belong to that person's row on the form, which counts empty rows too: `person-3.name`.
 */
function byFormRow(errors: FormErrors, rowOf: number[]): FormErrors {
  return new FormErrors(
    errors.items.map((item) => {
      const m = /^(?:attendees\.(\d+)|\[(\d+)\])\.(\w+)$/.exec(item.field);
      return m ? { ...item, field: `person-${rowOf[Number(m[1] ?? m[2])]}.${m[3]}` } : item;
    }),
    errors.refusal,
  );
}

// --- outcome form ---

const OUTCOME_COPY: FormCopy = {
  levelAdvised: {
    label: 'Level of need advised',
    id: 'levelAdvised',
    required: 'Select the level of need advised',
    refused: 'Select one of the levels shown',
  },
  pathway: {
    label: 'Pathway',
    id: 'pathway',
    required: 'Select the pathway advised',
    invalid: 'Select one of the pathways shown',
  },
  advice: { label: 'The advice', id: 'advice', required: 'Enter the advice given', inWords: 'the advice' },
  response: {
    label: 'The response',
    id: 'response',
    required: 'Enter children’s social care’s response',
    inWords: 'the response',
  },
  referralQuality: {
    label: 'The referral’s quality',
    id: 'timely',
    required: 'Answer the questions about the referral’s quality',
  },
  'referralQuality.timely': {
    label: 'Timeliness',
    id: 'timely',
    required: 'Select yes if the referral was made in good time',
  },
  'referralQuality.complete': {
    label: 'Completeness',
    id: 'complete',
    required: 'Select yes if the referral was complete',
  },
  'referralQuality.appropriate': {
    label: 'Direction',
    id: 'appropriate',
    required: 'Select yes if the referral was sent to the right place',
  },
  'referralQuality.issues': {
    label: 'Issues',
    id: 'issues',
    required: 'Select what was missing or unclear',
    refused: 'Select at least one issue when the referral was not complete',
  },
  'referralQuality.misdirectedTo': {
    label: 'Where it should have gone',
    id: 'misdirectedTo',
    required: 'Enter where the referral should have gone',
    refused: 'Enter where the referral should have gone, if it was misdirected (and only then)',
    inWords: 'where it should have gone',
  },
  version: { label: 'Version', id: 'advice', required: '' },
};

/** The outcome as the API takes it: only the fields that apply to the item's kind. */
function outcomeFrom(fields: FormBody, kind: string): Record<string, unknown> {
  const dto: Record<string, unknown> = { version: integer(text(fields, 'version')) };
  if (text(fields, 'final') === 'yes') dto.final = true;
  if (kind === 'agency-feedback') {
    dto.response = text(fields, 'response');
  } else {
    dto.levelAdvised = integer(text(fields, 'levelAdvised'));
    dto.pathway = text(fields, 'pathway');
    dto.advice = text(fields, 'advice');
  }
  if (kind === 'referral-feedback') {
    dto.referralQuality = {
      timely: yesNo(text(fields, 'timely')),
      complete: yesNo(text(fields, 'complete')),
      appropriate: yesNo(text(fields, 'appropriate')),
      issues: list(fields, 'issues'),
      misdirectedTo: text(fields, 'misdirectedTo'),
    };
  }
  for (const key of Object.keys(dto)) if (dto[key] === undefined) delete dto[key];
  return dto;
}

/** The form's values, as posted (to show them again with errors). */
function formFromFields(fields: FormBody): Record<string, unknown> {
  return {
    levelAdvised: text(fields, 'levelAdvised'),
    pathway: text(fields, 'pathway'),
    advice: text(fields, 'advice'),
    response: text(fields, 'response'),
    timely: text(fields, 'timely'),
    complete: text(fields, 'complete'),
    appropriate: text(fields, 'appropriate'),
    issues: list(fields, 'issues'),
    misdirectedTo: text(fields, 'misdirectedTo'),
  };
}

/** The form's values from the outcome recorded so far. */
function formFromOutcome(o: OutcomeView | null): Record<string, unknown> {
  const yes = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'yes' : 'no');
  return {
    version: String(o?.version ?? 0),
    levelAdvised: o?.levelAdvised != null ? String(o.levelAdvised) : undefined,
    pathway: o?.pathway ?? undefined,
    advice: o?.advice ?? undefined,
    response: o?.response ?? undefined,
    timely: yes(o?.referralQuality?.timely),
    complete: yes(o?.referralQuality?.complete),
    appropriate: yes(o?.referralQuality?.appropriate),
    issues: o?.referralQuality?.issues.map((i) => i.code) ?? [],
    misdirectedTo: o?.referralQuality?.misdirectedTo ?? undefined,
  };
}

// --- actions form ---

const ACTION_COPY: FormCopy = {
  description: { label: 'The action', id: 'description', required: 'Enter what is to be done', inWords: 'the action' },
  ownerAgencyId: {
    label: 'The agency',
    id: 'ownerAgencyId',
    required: 'Select the agency that owns the action',
    invalid: 'Select the agency that owns the action',
    refused: 'Select one of the agencies shown',
  },
  ownerName: {
    label: 'The owner’s name',
    id: 'ownerName',
    required: '',
    invalid: 'The owner’s name must be on one line',
  },
  dueDate: {
    label: 'The due date',
    id: 'dueDate-day',
    required: 'Enter the date the action is due',
    invalid: 'The due date must be a real date, like 27 3 2027',
  },
  bookingId: {
    label: 'The item',
    id: 'bookingId',
    required: '',
    invalid: 'Select one of the items shown',
    refused: 'Select one of the items on this agenda',
  },
};
