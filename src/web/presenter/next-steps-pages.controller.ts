import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { DomainError } from '../../common/domain-error';
import { UuidParam } from '../../common/uuid-param.pipe';
import { User } from '../../directory/user.entity';
import { NextStepAnswerDto } from '../../next-steps/dto/next-step.dto';
import { NextStepView, toNextStepView } from '../../next-steps/next-step.views';
import { NextStepsService } from '../../next-steps/next-steps.service';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, dateFromParts, dateParts, FormBody, formFields, integer, text, yesNo } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const COPY: FormCopy = {
  referralMade: {
    label: 'Whether it was made',
    id: 'referralMade',
    required: 'Select yes if the referral or request was made',
    invalid: 'Select yes or no',
  },
  madeOn: {
    label: 'The date it was made',
    id: 'madeOn-day',
    required: 'Enter the date it was made',
    invalid: 'The date it was made must be a real date, like 14 1 2027',
  },
  heardBack: {
    label: 'Whether you have heard back',
    id: 'heardBack',
    required: 'Select yes if you have heard back',
    invalid: 'Select yes or no',
  },
  heardBackOn: {
    label: 'The date you heard back',
    id: 'heardBackOn-day',
    required: 'Enter the date you heard back',
    invalid: 'The date you heard back must be a real date, like 15 1 2027',
  },
};

/**
 * "What happened next" for the item's presenter: the link in the question's e-mail. The same
 * service as PUT /api/bookings/:id/next-steps; the page leaves out what a "no" makes irrelevant
 * (as a conditional question would), which the API refuses instead.
 */
@WebPages()
@Controller('bookings/:id/next-steps')
export class NextStepsPagesController {
  constructor(private readonly nextSteps: NextStepsService) {}

  @Get()
  async page(
    @Param('id', UuidParam) id: string,
    @Query('saved') saved: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const { step, mayAnswer } = await this.view(id, user);
    renderPage(
      req,
      res,
      'presenter/next-steps',
      this.model(id, step, formOf(step), { saved: saved === '1', mayAnswer }),
    );
  }

  @Post()
  async save(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() user: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const dto = answerFrom(fields);
    const checked = await checkWith(NextStepAnswerDto, dto);
    let errors: FormErrors = errorsFromValidation(checked.errors, dto, COPY);
    let status = 400;
    if (!errors.any) {
      const done = await formAttempt(
        () => this.nextSteps.answer(id, user, checked.value),
        (err) => {
          if (err.code === 'NEXT_STEP_VERSION_CONFLICT') status = 409;
          return errorsFromDomain(err, COPY);
        },
      );
      if (done.ok) return seeOther(res, `/bookings/${id}/next-steps?saved=1`);
      errors = done.errors;
    }
    const { step, mayAnswer } = await this.view(id, user);
    // After a conflict the form shows what is saved now, with its new version.
    const form = status === 409 ? formOf(step) : { ...formOf(step), ...formFromFields(fields) };
    renderPage(req, res, 'presenter/next-steps', this.model(id, step, form, { errors, mayAnswer }), status);
  }

  /** The question and its answers; only the presenter may answer (a coordinator reads them). */
  private async view(id: string, user: User): Promise<{ step: NextStepView; mayAnswer: boolean }> {
    const step = await this.nextSteps.forReader(id, user);
    if (!step) throw DomainError.notFound('The question about what happened next');
    return { step: toNextStepView(step, this.nextSteps.expected()), mayAnswer: step.presenterUserId === user.id };
  }

  private model(id: string, step: NextStepView, form: Record<string, unknown>, extra: object) {
    return { title: 'What happened next', step, form, bookingId: id, backLink: `/bookings/${id}`, ...extra };
  }
}

function formOf(step: NextStepView): Record<string, unknown> {
  const yes = (v: boolean | null) => (v === null ? undefined : v ? 'yes' : 'no');
  return {
    version: String(step.version),
    referralMade: yes(step.referralMade),
    madeOn: dateParts(step.madeOn ?? undefined),
    heardBack: yes(step.heardBack),
    heardBackOn: dateParts(step.heardBackOn ?? undefined),
  };
}

function formFromFields(fields: FormBody): Record<string, unknown> {
  const parts = (name: string) => ({
    day: text(fields, `${name}-day`) ?? '',
    month: text(fields, `${name}-month`) ?? '',
    year: text(fields, `${name}-year`) ?? '',
  });
  return {
    version: text(fields, 'version'),
    referralMade: text(fields, 'referralMade'),
    madeOn: parts('madeOn'),
    heardBack: text(fields, 'heardBack'),
    heardBackOn: parts('heardBackOn'),
  };
}

/** The answers as the API takes them, without those a "no" makes irrelevant. */
function answerFrom(fields: FormBody): Record<string, unknown> {
  const referralMade = yesNo(text(fields, 'referralMade'));
  const heardBack = referralMade ? yesNo(text(fields, 'heardBack')) : undefined;
  const dto: Record<string, unknown> = {
    version: integer(text(fields, 'version')),
    referralMade,
    madeOn: referralMade ? dateFromParts(fields, 'madeOn') : undefined,
    heardBack,
    heardBackOn: heardBack ? dateFromParts(fields, 'heardBackOn') : undefined,
  };
  for (const key of Object.keys(dto)) if (dto[key] === undefined) delete dto[key];
  return dto;
}
