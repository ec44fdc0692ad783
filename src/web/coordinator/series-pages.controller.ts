import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DateTime } from 'luxon';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { User } from '../../directory/user.entity';
import { AppConfig } from '../../config/app-config';
import { CreateSeriesDto, UpdateSeriesDto } from '../../meetings/dto/series.dto';
import { publicDatesFeedUrl } from '../../meetings/meeting.views';
import { MeetingsService } from '../../meetings/meetings.service';
import {
  LONDON_ZONE,
  londonToday,
  MONTHLY_ORDINALS,
  ORDINAL_WORDS,
  RULE_WEEKDAYS,
  WEEKDAY_WORDS,
} from '../../scheduling/calendar-rules';
import {
  capitalise,
  errorsFromDomain,
  errorsFromValidation,
  formAttempt,
  FormCopy,
  FormErrors,
} from '../forms/form-errors';
import { checkWith, dateFromParts, dateParts, FormBody, formFields, integer, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const SERIES_COPY: FormCopy = {
  title: {
    label: 'The title',
    id: 'title',
    required: 'Enter a title for the meetings',
    invalid: 'The title must be on one line',
  },
  firstMeetingDate: {
    label: 'The date of the first meeting',
    id: 'firstMeetingDate-day',
    required: 'Enter the date of the first meeting',
    invalid: 'The date of the first meeting must be a real date, like 11 1 2027',
  },
  startTime: {
    label: 'The start time',
    id: 'startTime',
    required: 'Enter the start time',
    invalid: 'Enter the start time like 10:00',
  },
  durationMinutes: {
    label: 'The length of each meeting',
    id: 'durationMinutes',
    required: 'Enter how long each meeting lasts, in minutes',
    invalid: 'Enter the length in minutes, from 15 to 480',
  },
  slotMinutes: {
    label: 'The length of each slot',
    id: 'slotMinutes',
    required: 'Enter how long each slot lasts, in minutes',
    invalid: 'Enter the slot length in minutes, from 5 to 240',
  },
  intervalWeeks: {
    label: 'The interval',
    id: 'intervalWeeks',
    required: 'Enter how many weeks apart the meetings are',
    invalid: 'Enter a number of weeks from 1 to 8',
  },
  recurrence: {
    label: 'The day of the month',
    id: 'monthlyOrdinal',
    required: 'Select which weekday of the month the meetings are on',
    invalid: 'Select which weekday of the month the meetings are on',
  },
  location: { label: 'The place', id: 'location', required: '', invalid: 'The place must be on one line' },
  onlineUrl: {
    label: 'The online link',
    id: 'onlineUrl',
    required: '',
    invalid: 'Enter the online link starting https://',
  },
  chairUserId: {
    label: 'The chair',
    id: 'chairUserId',
    required: '',
    invalid: 'Select one of the chairs shown',
    refused: 'Select one of the chairs shown',
  },
  bookingClosesWorkingDaysBefore: {
    label: 'The booking deadline',
    id: 'bookingClosesWorkingDaysBefore',
    required: 'Enter how many working days before each meeting bookings close',
    invalid: 'Enter a number of working days from 0 to 20',
  },
  bankHolidayPolicy: {
    label: 'Bank holidays',
    id: 'bankHolidayPolicy',
    required: 'Select what happens when a meeting falls on a bank holiday',
    invalid: 'Select one of the options',
  },
  calendarInvites: {
    label: 'Calendar invitations',
    id: 'calendarInvites',
    required: 'Select how the chair and core members get the meetings in their calendars',
    invalid: 'Select one of the options',
  },
  horizonWeeks: {
    label: 'How far ahead',
    id: 'horizonWeeks',
    required: 'Enter how many weeks ahead to plan meetings',
    invalid: 'Enter a number of weeks from 1 to 104',
  },
};

/** What `?saved=` may say after a change on the series page. */
const SAVED = ['1', 'chair', 'ended', 'resumed'] as const;

/** Meeting series, for coordinators: set one up (its meetings are generated), and see the dates. */
@WebPages()
@Controller('admin/series')
@Roles('coordinator')
export class SeriesPagesController {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly directory: DirectoryService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const [series, chairs] = await Promise.all([this.meetings.listSeries(), this.chairs()]);
    renderPage(req, res, 'admin/series-list', {
      title: 'Meeting series',
      series,
      chairNames: Object.fromEntries(chairs.map((c) => [c.id, c.name])),
    });
  }

  @Get('new')
  async newPage(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const form = {
      title: 'Thresholds and Referrals Meeting',
      startTime: '10:00',
      durationMinutes: '120',
      slotMinutes: '15',
      frequency: 'weekly',
      intervalWeeks: '2',
      monthlyOrdinal: '1',
      monthlyWeekday: 'TU',
      bookingClosesWorkingDaysBefore: '2',
      horizonWeeks: '26',
      firstMeetingDate: dateParts(undefined),
    };
    renderPage(req, res, 'admin/series-new', {
      title: 'Set up a meeting series',
      form,
      chairs: await this.chairs(),
      backLink: '/admin/series',
      ...MONTHLY_CHOICES,
    });
  }

  @Post('new')
  async create(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const fields = formFields(body);
    const dto = seriesFrom(fields);
    const checked = await checkWith(CreateSeriesDto, dto);
    let errors: FormErrors = errorsFromValidation(checked.errors, dto, SERIES_COPY);
    if (!errors.any) {
      const made = await formAttempt(
        () => this.meetings.createSeries(checked.value),
        (err) => errorsFromDomain(err, SERIES_COPY),
      );
      if (made.ok) return seeOther(res, `/admin/series/${made.value.series.id}?created=1`);
      errors = made.errors;
    }
    const form = {
      ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
      firstMeetingDate: dateParts(dto.firstMeetingDate as string | undefined),
    };
    renderPage(
      req,
      res,
      'admin/series-new',
      {
        title: 'Set up a meeting series',
        form,
        chairs: await this.chairs(),
        errors,
        backLink: '/admin/series',
        ...MONTHLY_CHOICES,
      },
      400,
    );
  }

  @Get(':id')
  async show(
    @Param('id', UuidParam) id: string,
    @Query('created') created: string | undefined,
    @Query('saved') saved: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.renderSeries(req, res, id, user, { created: created === '1', saved: SAVED.find((k) => k === saved) });
  }

  /** The series' chair: its upcoming meetings that had the old chair move to the new one (PATCH /api/series/:id). */
  @Post(':id/chair')
  async saveChair(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const dto = { chairUserId: text(formFields(body), 'chairUserId') };
    const copy: FormCopy = {
      chairUserId: { ...SERIES_COPY.chairUserId, id: 'seriesChair', required: 'Select the chair' },
    };
    const checked = await checkWith(UpdateSeriesDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, copy);
    if (!dto.chairUserId)
      errors = new FormErrors([{ field: 'chairUserId', text: copy.chairUserId.required, href: '#seriesChair' }]);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.meetings.updateSeries(id, checked.value),
        (err) => errorsFromDomain(err, copy, { fallbackField: 'chairUserId' }),
      );
      if (done.ok) return seeOther(res, `/admin/series/${id}?saved=chair`);
      errors = done.errors;
    }
    await this.renderSeries(req, res, id, user, { errors, status: 400 });
  }

  /** "End this series": what ending means, on its own page before anything changes. */
  @Get(':id/end')
  async confirmEnd(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const { series, meetings } = await this.seriesWithMeetings(id, user);
    if (!series.active) return seeOther(res, `/admin/series/${id}`);
    renderPage(req, res, 'admin/series-end', {
      title: `End ${series.title}`,
      series,
      planned: meetings.filter((m) => m.status === 'scheduled'),
      backLink: `/admin/series/${id}`,
    });
  }

  @Post(':id/end')
  async end(@Param('id', UuidParam) id: string, @Res() res: Response): Promise<void> {
    await this.meetings.updateSeries(id, { active: false });
    seeOther(res, `/admin/series/${id}?saved=ended`);
  }

  @Post(':id/resume')
  async resume(@Param('id', UuidParam) id: string, @Res() res: Response): Promise<void> {
    await this.meetings.updateSeries(id, { active: true });
    seeOther(res, `/admin/series/${id}?saved=resumed`);
  }

  /** Core members (one "email, name" a line; they get every meeting in their calendar) and the public dates feed. */
  @Post(':id/settings')
  async saveSettings(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const membersText = text(fields, 'coreMembers') ?? '';
    const dto = {
      coreMembers: coreMembersFrom(membersText),
      publicDatesFeed: text(fields, 'publicDatesFeed') === 'yes',
    };
    const checked = await checkWith(UpdateSeriesDto, dto);
    let errors = membersErrors(errorsFromValidation(checked.errors, dto, SETTINGS_COPY));
    if (!errors.any) {
      const done = await formAttempt(
        () => this.meetings.updateSeries(id, checked.value),
        (err) => errorsFromDomain(err, SETTINGS_COPY, { fallbackField: 'coreMembers' }),
      );
      if (done.ok) return seeOther(res, `/admin/series/${id}?saved=1`);
      errors = done.errors;
    }
    await this.renderSeries(req, res, id, user, {
      errors,
      settings: { coreMembers: membersText, publicDatesFeed: dto.publicDatesFeed },
      status: 400,
    });
  }

  private async renderSeries(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    user: User,
    opts: {
      created?: boolean;
      saved?: (typeof SAVED)[number];
      errors?: FormErrors;
      settings?: { coreMembers: string; publicDatesFeed: boolean };
      status?: number;
    },
  ): Promise<void> {
    const { series, meetings } = await this.seriesWithMeetings(id, user);
    const chairs = await this.chairs();
    const coreMembers = await this.meetings.coreMembers(id);
    renderPage(
      req,
      res,
      'admin/series',
      {
        title: series.title,
        series,
        chairName: chairs.find((c) => c.id === series.chairUserId)?.name ?? null,
        meetings,
        coreMembers,
        publicFeedUrl: publicDatesFeedUrl(this.config.publicUrl, series),
        settings: opts.settings ?? {
          coreMembers: coreMembers.map((c) => (c.name ? `${c.email}, ${c.name}` : c.email)).join('\n'),
          publicDatesFeed: series.publicDatesFeed,
        },
        errors: opts.errors,
        created: opts.created ?? false,
        saved: opts.saved ?? null,
        chairs,
        backLink: '/admin/series',
      },
      opts.status ?? 200,
    );
  }

  /** The series and its meetings from today (or its first date) through its horizon, as generated. */
  private async seriesWithMeetings(id: string, user: User) {
    const series = (await this.meetings.listSeries()).find((s) => s.id === id);
    if (!series) throw DomainError.notFound('The series');
    const today = londonToday(this.clock.now());
    const from = series.firstMeetingDate > today ? series.firstMeetingDate : today;
    const to = DateTime.fromISO(from, { zone: LONDON_ZONE })
      .plus({ weeks: series.horizonWeeks + 2 })
      .toISODate()!;
    const meetings = (await this.meetings.list({ from, to }, user)).filter((m) => m.seriesId === id);
    return { series, meetings };
  }

  private async chairs(): Promise<User[]> {
    return (await this.directory.listUsers({ role: 'chair' })).filter((u) => u.active);
  }
}

/** The monthly rule's choices on the form: "First" … "Last", "Monday" … "Friday". */
const MONTHLY_CHOICES = {
  monthlyOrdinals: MONTHLY_ORDINALS.map((o) => ({ value: String(o), text: capitalise(ORDINAL_WORDS[o]) })),
  ruleWeekdays: RULE_WEEKDAYS.map((d) => ({ value: d, text: WEEKDAY_WORDS[d] })),
};

/**
 * "How often": every N weeks (intervalWeeks), or once a month on its n-th weekday, as the RRULE
 * the API takes (`FREQ=MONTHLY;BYDAY=1TU`), so the service checks both the same way.
 */
function howOftenFrom(fields: FormBody): { intervalWeeks?: number | string; recurrence?: string } {
  if (text(fields, 'frequency') !== 'monthly') return { intervalWeeks: integer(text(fields, 'intervalWeeks')) };
  const ordinal = MONTHLY_ORDINALS.find((o) => String(o) === text(fields, 'monthlyOrdinal'));
  const weekday = RULE_WEEKDAYS.find((d) => d === text(fields, 'monthlyWeekday'));
  // An answer off the lists is refused by the service's reading of the rule, on this field.
  return { recurrence: `FREQ=MONTHLY;BYDAY=${ordinal ?? '0'}${weekday ?? 'XX'}` };
}

/** The form as CreateSeriesDto takes it: numbers as numbers, the date from its three boxes. */
function seriesFrom(fields: FormBody): Record<string, unknown> {
  const dto: Record<string, unknown> = {
    title: text(fields, 'title'),
    firstMeetingDate: dateFromParts(fields, 'firstMeetingDate'),
    startTime: text(fields, 'startTime')?.trim(),
    durationMinutes: integer(text(fields, 'durationMinutes')),
    slotMinutes: integer(text(fields, 'slotMinutes')),
    ...howOftenFrom(fields),
    location: text(fields, 'location'),
    onlineUrl: text(fields, 'onlineUrl')?.trim(),
    chairUserId: text(fields, 'chairUserId'),
    bookingClosesWorkingDaysBefore: integer(text(fields, 'bookingClosesWorkingDaysBefore')),
    bankHolidayPolicy: text(fields, 'bankHolidayPolicy'),
    horizonWeeks: integer(text(fields, 'horizonWeeks')),
    calendarInvites: text(fields, 'calendarInvites'),
  };
  for (const key of Object.keys(dto)) if (dto[key] === undefined) delete dto[key];
  return dto;
}

const SETTINGS_COPY: FormCopy = {
  coreMembers: { label: 'Core members', id: 'coreMembers', required: '' },
  email: {
    label: 'The email address',
    id: 'coreMembers',
    required: 'Enter an email address',
    invalid: 'Enter an email address in the correct format, like name@agency.gov.uk',
  },
  name: { label: 'The name', id: 'coreMembers', required: '', invalid: 'The name must be on one line' },
  publicDatesFeed: { label: 'The public dates feed', id: 'publicDatesFeed', required: '' },
};

/** One core member a line: "email, name" (the name is optional); blank lines are skipped. */
function coreMembersFrom(value: string): Array<{ email: string; name?: string }> {
  return value
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const comma = line.indexOf(',');
      const email = (comma < 0 ? line : line.slice(0, comma)).trim();
      const name = comma < 0 ? '' : line.slice(comma + 1).trim();
      return name ? { email, name } : { email };
    });
}

/** CoreMemberDto's errors (coreMembers.2.email) as "Line 3: …", all linked to the one textarea. */
function membersErrors(errors: FormErrors): FormErrors {
  return new FormErrors(
    errors.items.map((item) => {
      const line = /^coreMembers\.(\d+)\./.exec(item.field);
      if (line)
        return {
          ...item,
          field: 'coreMembers',
          text: `Line ${Number(line[1]) + 1}: ${item.text.charAt(0).toLowerCase()}${item.text.slice(1)}`,
        };
      if (item.field === 'coreMembers') return { ...item, text: 'Enter no more than 50 core members' };
      return item;
    }),
  );
}
