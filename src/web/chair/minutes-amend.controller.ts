import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { THEMES_NOTE_MAX, UpdateDraftMinutesDto } from '../../minutes/dto/minutes.dto';
import { amendmentErrors, amendmentFrom } from './amendment-form';
import { MinutesService } from '../../minutes/minutes.service';
import { MinutesDocument } from '../../minutes/minutes.views';
import { errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const AMEND_COPY: FormCopy = {
  themesNote: { label: 'The note', id: 'themesNote', required: '', inWords: 'the note on themes' },
  // MinutesService.amend: "an amendment must change at least one of …"
  body: {
    label: 'The note',
    id: 'themesNote',
    required: '',
    refused: 'Change the note on themes: an amendment must change something',
  },
};

/**
 * Amending approved minutes (the chair of the meeting and coordinators): the themes note with a
 * reason, through MinutesService.amend as POST /api/meetings/:id/minutes/amendments. The
 * amendment becomes the next version; the earlier ones stay readable.
 */
@WebPages()
@Controller('meetings/:id/minutes/amend')
export class MinutesAmendController {
  constructor(private readonly minutes: MinutesService) {}

  @Get()
  async page(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const doc = await this.amendable(id, user);
    if (!doc) return seeOther(res, `/meetings/${id}/minutes`);
    this.render(
      req,
      res,
      doc,
      { themesNote: doc.content.general.themes.caseText.note ?? '' },
      undefined,
      200,
      doc.latestVersion,
    );
  }

  @Post()
  async amend(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const current = await this.amendable(id, user);
    const currentNote = current?.content.general.themes.caseText.note ?? '';
    const note = text(fields, 'themesNote') ?? '';
    const form = { reason: text(fields, 'reason'), themesNote: note };
    const amendment = await amendmentFrom(fields, { checkVersion: true, recordingPage: false });
    // Only a changed note is an amendment (the service refuses an amendment that changes nothing).
    const dto: Record<string, unknown> = {};
    if (note.trim() !== currentNote.trim()) dto.themesNote = note;
    const checked = await checkWith(UpdateDraftMinutesDto, { themesNote: note });
    let errors = errorsFromValidation(checked.errors, { themesNote: note }, AMEND_COPY).add(amendment.errors.items);
    let status = 400;
    if (!errors.any) {
      const done = await formAttempt(
        () => this.minutes.amend(id, { ...amendment.value, ...dto }, user),
        (err) => amendmentErrors(err, AMEND_COPY, ''),
      );
      if (done.ok) return seeOther(res, `/meetings/${id}/minutes?amended=${done.value.latestVersion}`);
      errors = done.errors;
      if (errors.refusal) status = 409;
    }
    if (!current) return seeOther(res, `/meetings/${id}/minutes`);
    // After the refusal for a newer version, the chair has seen it: saving again amends that one.
    const opened =
      errors.refusal?.code === 'MINUTES_VERSION_CONFLICT' ? current.latestVersion : amendment.value.version;
    this.render(req, res, current, form, errors, status, opened ?? current.latestVersion);
  }

  /** The approved minutes, in full: only their chair and coordinators may amend (403 otherwise); null while a draft. */
  private async amendable(id: string, user: User): Promise<MinutesDocument | null> {
    const doc = await this.minutes.read(id, user, {}, 'json');
    if (doc.scope !== 'full')
      throw DomainError.forbidden('Only the chair of the meeting or a coordinator can amend its minutes.');
    return doc.status === 'approved' ? doc : null;
  }

  private render(
    req: AuthenticatedRequest,
    res: Response,
    doc: MinutesDocument,
    form: { reason?: string; themesNote: string },
    errors: FormErrors | undefined,
    status: number,
    /** The minutes' version this form amends (the latest when it was opened). */
    openedOn: number,
  ): void {
    renderPage(
      req,
      res,
      'chair/minutes-amend',
      {
        title: 'Amend the minutes',
        doc,
        c: doc.content,
        form,
        amending: { version: openedOn },
        noteMax: THEMES_NOTE_MAX,
        errors,
        backLink: `/meetings/${doc.content.meeting.id}/minutes`,
      },
      status,
    );
  }
}
