import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { MeetingsService } from '../../meetings/meetings.service';
import { UpdateDraftMinutesDto, THEMES_NOTE_MAX } from '../../minutes/dto/minutes.dto';
import {
  actionLines,
  attendeeLine,
  CONFIDENTIALITY_FOOTER,
  meetingLines,
  scopeLine,
  statusLine,
} from '../../minutes/minutes-render';
import {
  errorsFromDomain,
  errorsFromValidation,
  ErrorItem,
  formAttempt,
  FormCopy,
  FormErrors,
} from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';
import { versionShown } from './amendment-form';
import { MinutesService } from '../../minutes/minutes.service';

const NOTE_COPY: FormCopy = {
  themesNote: { label: 'The note', id: 'themesNote', required: '', inWords: 'the note on themes' },
};

/**
 * A meeting's minutes as the reader may see them (MinutesService decides: the chair and
 * coordinators everything, including the draft; others the approved general part and their
 * agency's items), with the chair's note, approval, and the PDF.
 */
@WebPages()
@Controller('meetings/:id/minutes')
export class MinutesPagesController {
  constructor(
    private readonly minutes: MinutesService,
    private readonly meetings: MeetingsService,
  ) {}

  @Get()
  async show(
    @Param('id', UuidParam) id: string,
    @Query('approved') approved: string | undefined,
    @Query('amended') amended: string | undefined,
    @Query('version') version: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    // After an amendment: only its version number is ever shown back from the URL.
    await this.render(req, res, id, user, {
      approved: approved === '1',
      amended: versionShown(amended),
      // An earlier approved version (?version=2); anything else is not a version there is.
      version: version === undefined ? undefined : (versionShown(version) ?? 0),
    });
  }

  @Post('note')
  async saveNote(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const dto = { themesNote: text(formFields(body), 'themesNote') ?? '' };
    const checked = await checkWith(UpdateDraftMinutesDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, NOTE_COPY);
    if (!errors.any) {
      const saved = await formAttempt(
        () => this.minutes.updateDraft(id, checked.value, user),
        (err) => errorsFromDomain(err, NOTE_COPY),
      );
      if (saved.ok) return seeOther(res, `/meetings/${id}/minutes`);
      errors = saved.errors;
    }
    await this.render(req, res, id, user, { errors, note: dto.themesNote, status: 400 });
  }

  /**
   * "Approve the minutes" asks first, on its own page: approval locks them and emails a link to
   * each person the need-to-know rule lets read them, named here.
   */
  @Get('approve')
  async confirmApprove(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const preview = await this.minutes.approvalPreview(id, user);
    if (preview.status === 'approved') return seeOther(res, `/meetings/${id}/minutes`);
    const meeting = await this.meetings.get(id, user);
    renderPage(req, res, 'chair/minutes-approve', {
      title: 'Approve the minutes',
      meeting,
      preview,
      backLink: `/meetings/${id}/minutes`,
    });
  }

  @Post('approve')
  async approve(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const approved = await formAttempt(
      () => this.minutes.approve(id, user),
      (err) => errorsFromDomain(err, {}),
    );
    if (approved.ok) return seeOther(res, `/meetings/${id}/minutes?approved=1`);
    await this.render(req, res, id, user, { errors: await this.linkItems(id, user, approved.errors), status: 409 });
  }

  /** "Record an outcome for every item…": name each item still without one, linked to its page. */
  private async linkItems(id: string, user: User, errors: FormErrors): Promise<FormErrors> {
    const refusal = errors.refusal;
    const items =
      refusal?.code === 'ITEMS_WITHOUT_OUTCOME'
        ? (refusal.details as { items?: Array<{ bookingId: string; reference: string }> }).items
        : undefined;
    if (!items?.length) return errors;
    return new FormErrors(
      items.map((i): ErrorItem => ({
        field: '',
        text: `Record an outcome for ${i.reference}, or carry it forward to the next meeting`,
        href: `/meetings/${id}/items/${i.bookingId}`,
      })),
    );
  }

  private async render(
    req: AuthenticatedRequest,
    res: Response,
    id: string,
    user: User,
    opts: {
      errors?: FormErrors;
      note?: string;
      status?: number;
      approved?: boolean;
      amended?: number;
      version?: number;
    },
  ): Promise<void> {
    if (opts.version === 0) throw DomainError.notFound('That version of the minutes');
    const doc = await this.minutes.read(id, user, { version: opts.version }, 'json');
    const shown = doc.version ?? doc.latestVersion;
    renderPage(
      req,
      res,
      'chair/minutes',
      {
        title: doc.status === 'draft' ? 'Draft minutes' : 'Minutes',
        doc,
        c: doc.content,
        note: opts.note ?? doc.content.general.themes.caseText.note ?? '',
        noteMax: THEMES_NOTE_MAX,
        // The same words as the HTML and PDF renderings of the minutes.
        words: {
          statusLine: statusLine(doc),
          scopeLine: scopeLine(doc),
          meetingLines: meetingLines(doc),
          attendeeLine,
          actionLines,
          footer: CONFIDENTIALITY_FOOTER,
        },
        runsIt: doc.scope === 'full',
        // An earlier version is for reading: nothing on it can be changed.
        earlier: doc.status === 'approved' && shown !== doc.latestVersion,
        versionQuery: doc.status === 'approved' && shown !== doc.latestVersion ? `?version=${shown}` : '',
        errors: opts.errors,
        approved: opts.approved,
        amended: opts.amended,
        backLink: `/meetings/${id}`,
      },
      opts.status ?? 200,
    );
  }
}
