import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { CancelMeetingDto, UpdateMeetingDto } from '../../meetings/dto/meeting.dto';
import { HH_MM } from '../../common/input-rules';
import { MeetingView } from '../../meetings/meeting.views';
import { MeetingsService } from '../../meetings/meetings.service';
import { instantToLondon, wallClockToInstant } from '../../scheduling/calendar-rules';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, dateFromParts, dateParts, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const RESCHEDULE_COPY: FormCopy = {
  startsAt: {
    label: 'The new date and time',
    id: 'date-day',
    required: 'Enter the new date and time',
    invalid: 'Enter a real date and a time like 10:00',
  },
  date: {
    label: 'The new date',
    id: 'date-day',
    required: 'Enter the new date',
    invalid: 'The new date must be a real date, like 11 1 2027',
  },
  time: {
    label: 'The start time',
    id: 'time',
    required: 'Enter the start time',
    invalid: 'Enter the start time like 10:00',
  },
  location: { label: 'The place', id: 'location', required: '', invalid: 'The place must be on one line' },
  onlineUrl: {
    label: 'The online link',
    id: 'onlineUrl',
    required: '',
    invalid: 'Enter the online link starting https://',
  },
  reason: {
    label: 'The reason',
    id: 'reason',
    required: '',
    invalid: 'The reason must be on one line',
  },
};

const CANCEL_COPY: FormCopy = {
  reason: {
    label: 'The reason',
    id: 'reason',
    required: 'Enter why the meeting is cancelled: every presenter is told',
    invalid: 'The reason must be on one line',
  },
};

/** Moving and cancelling one meeting (its chair or a coordinator: MeetingsService decides). */
@WebPages()
@Controller('meetings/:id')
@Roles('chair', 'coordinator')
export class MeetingChangesController {
  constructor(private readonly meetings: MeetingsService) {}

  @Get('reschedule')
  async reschedulePage(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    const at = instantToLondon(new Date(meeting.startsAt));
    this.renderReschedule(req, res, meeting, {
      date: dateParts(at.date),
      time: at.time,
      location: meeting.location ?? '',
      onlineUrl: meeting.onlineUrl ?? '',
      version: String(meeting.version),
    });
  }

  @Post('reschedule')
  async reschedule(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    const fields = formFields(body);
    const date = dateFromParts(fields, 'date');
    const time = text(fields, 'time')?.trim();
    const form = {
      date: dateParts(date),
      time,
      location: text(fields, 'location') ?? '',
      onlineUrl: text(fields, 'onlineUrl') ?? '',
      reason: text(fields, 'reason'),
      // The version the form was opened on: a change made since (another tab) is not overwritten.
      version: text(fields, 'version'),
      confirmNonWorkingDay: text(fields, 'confirmNonWorkingDay'),
    };

    let errors = new FormErrors();
    if (!date) errors = errors.add([{ field: 'date', text: RESCHEDULE_COPY.date.required, href: '#date-day' }]);
    if (!time) errors = errors.add([{ field: 'time', text: RESCHEDULE_COPY.time.required, href: '#time' }]);
    else if (!HH_MM.test(time))
      errors = errors.add([{ field: 'time', text: RESCHEDULE_COPY.time.invalid!, href: '#time' }]);
    let startsAt: string | undefined;
    if (!errors.any) {
      try {
        startsAt = wallClockToInstant(date!, time!).toISOString();
      } catch {
        errors = errors.add([{ field: 'date', text: RESCHEDULE_COPY.date.invalid!, href: '#date-day' }]);
      }
    }
    if (errors.any) return this.renderReschedule(req, res, meeting, form, errors, 400);

    const moved = startsAt !== new Date(meeting.startsAt).toISOString();
    const version = Number(form.version);
    const dto = {
      ...(moved ? { startsAt } : {}),
      location: form.location,
      ...(form.onlineUrl ? { onlineUrl: form.onlineUrl } : {}),
      ...(form.reason ? { reason: form.reason } : {}),
      ...(Number.isInteger(version) && form.version ? { version } : {}),
      ...(form.confirmNonWorkingDay === 'yes' ? { confirmNonWorkingDay: true } : {}),
    };
    const checked = await checkWith(UpdateMeetingDto, dto);
    errors = errorsFromValidation(checked.errors, dto, RESCHEDULE_COPY);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.meetings.update(id, checked.value, user),
        (err) => errorsFromDomain(err, RESCHEDULE_COPY),
      );
      if (done.ok) return seeOther(res, `/meetings/${id}`);
      errors = done.errors;
    }
    const refusal = errors.refusal?.code;
    // A weekend or bank holiday: the same form again, asking to confirm the day.
    const confirmDay = refusal === 'NON_WORKING_DAY' ? (errors.refusal!.details as { reason: string }) : null;
    const status = refusal === 'NON_WORKING_DAY' || refusal === 'MEETING_VERSION_CONFLICT' ? 409 : 400;
    const current = refusal === 'MEETING_VERSION_CONFLICT' ? await this.meetings.get(id, user) : meeting;
    this.renderReschedule(
      req,
      res,
      current,
      {
        ...form,
        confirmDay,
        changedSinceOpened: refusal === 'MEETING_VERSION_CONFLICT',
        version: String(current.version),
      },
      errors,
      status,
    );
  }

  @Get('cancel')
  async cancelPage(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    renderPage(req, res, 'admin/cancel-meeting', {
      title: 'Cancel this meeting',
      meeting,
      backLink: `/meetings/${id}`,
    });
  }

  @Post('cancel')
  async cancel(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const meeting = await this.meetings.get(id, user);
    const dto = { reason: text(formFields(body), 'reason') };
    const checked = await checkWith(CancelMeetingDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, CANCEL_COPY);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.meetings.cancel(id, checked.value.reason, user),
        (err) => errorsFromDomain(err, CANCEL_COPY),
      );
      if (done.ok) return seeOther(res, `/meetings/${id}`);
      errors = done.errors;
    }
    renderPage(
      req,
      res,
      'admin/cancel-meeting',
      { title: 'Cancel this meeting', meeting, reason: dto.reason, errors, backLink: `/meetings/${id}` },
      400,
    );
  }

  private renderReschedule(
    req: AuthenticatedRequest,
    res: Response,
    meeting: MeetingView,
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 200,
  ): void {
    renderPage(
      req,
      res,
      'admin/reschedule-meeting',
      { title: 'Move this meeting', meeting, form, errors, backLink: `/meetings/${meeting.id}` },
      status,
    );
  }
}
