import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { SessionsService } from '../../auth/sessions.service';
import { SingleSignOnService } from '../../single-sign-on/single-sign-on.service';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { toAgencyView, toUserView } from '../../directory/directory.views';
import { UpdateUserDto } from '../../directory/dto/directory.dto';
import { ROLES, User } from '../../directory/user.entity';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, formFields, list, text } from '../forms/form-input';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const ROLES_COPY: FormCopy = {
  name: { label: 'The name', id: 'name', required: 'Enter the person’s name', invalid: 'The name must be on one line' },
  roles: { label: 'Roles', id: 'roles', required: 'Select at least one role', invalid: 'Select roles from the list' },
  agencyId: {
    label: 'The agency',
    id: 'agencyId',
    required: 'Select the person’s agency',
    invalid: 'Select one of the agencies shown',
    refused: 'Select one of the agencies shown',
  },
};

const ROLE_OPTIONS = [
  { code: 'professional', label: 'Professional', hint: 'Books items into meetings' },
  { code: 'chair', label: 'Chair', hint: 'Runs the meetings they chair: agenda, outcomes, minutes' },
  { code: 'coordinator', label: 'Coordinator', hint: 'Manages the service: series, agencies, users, every meeting' },
].filter((r) => (ROLES as readonly string[]).includes(r.code));

/** Changing a user's name, roles and agency, for coordinators, through DirectoryService.updateUser as PATCH /api/users/:id. */
@WebPages()
@Controller('admin/users/:id/roles')
@Roles('coordinator')
export class UserRolesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly sessions: SessionsService,
    private readonly sso: SingleSignOnService,
  ) {}

  /** Unlinks the user from their account at a provider (DELETE /api/users/:id/sign-in-accounts/:provider). */
  @Post('sign-in-accounts/:provider')
  async unlink(
    @Param('id', UuidParam) id: string,
    @Param('provider') provider: string,
    @Res() res: Response,
    @CurrentUser() me: User,
  ): Promise<void> {
    await this.sso.unlink(id, provider, me);
    seeOther(res, '/admin/users?done=unlinked');
  }

  @Get()
  async page(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const user = await this.user(id);
    await this.render(req, res, user, { name: user.name, roles: user.roles, agencyId: user.agencyId ?? undefined });
  }

  @Post()
  async change(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() me: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const dto: { name?: string; roles: string[]; agencyId?: string } = {
      roles: list(fields, 'roles'),
      agencyId: text(fields, 'agencyId'),
    };
    // A name box left empty is an error; no name box at all keeps the name (as the agency).
    if (fields.name !== undefined) dto.name = text(fields, 'name') ?? '';
    if (dto.agencyId === undefined) delete dto.agencyId; // "no change": updateUser keeps the agency
    const checked = await checkWith(UpdateUserDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, ROLES_COPY);
    let status = 400;
    if (!errors.any) {
      const done = await formAttempt(
        () => this.directory.updateUser(id, checked.value, me),
        (err) => errorsFromDomain(err, ROLES_COPY, { fallbackField: 'roles' }),
      );
      if (done.ok) return seeOther(res, '/admin/users?done=details');
      errors = done.errors;
      status = errors.refusal ? 409 : 400;
    }
    const user = await this.user(id);
    await this.render(req, res, user, { ...dto, name: dto.name ?? user.name }, errors, status);
  }

  private async user(id: string): Promise<User> {
    return this.directory.getUser(id);
  }

  private async render(
    req: AuthenticatedRequest,
    res: Response,
    user: User,
    form: { name: string; roles: string[]; agencyId?: string },
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const agencies = (await this.directory.listAgencies()).map(toAgencyView);
    const sessions = (await this.sessions.live(user.id)).length;
    const signInAccounts = await this.sso.identitiesOf(user.id);
    renderPage(
      req,
      res,
      'admin/user-roles',
      {
        title: `Change ${user.name}’s details`,
        person: toUserView(user),
        form,
        agencies,
        roles: ROLE_OPTIONS,
        sessions,
        signInAccounts,
        errors,
        backLink: '/admin/users',
      },
      status,
    );
  }
}
