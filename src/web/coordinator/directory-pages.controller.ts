import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../../auth/current-user.decorator';
import { CurrentUser } from '../../auth/current-user.decorator';
import { Roles } from '../../auth/roles.decorator';
import { SessionsService } from '../../auth/sessions.service';
import { UuidParam } from '../../common/uuid-param.pipe';
import { DirectoryService } from '../../directory/directory.service';
import { toAgencyView, toUserView } from '../../directory/directory.views';
import {
  CreateAgencyDto,
  CreateUserDto,
  ListUsersQuery,
  UpdateAgencyDto,
  UpdateUserDto,
} from '../../directory/dto/directory.dto';
import { Role, ROLES, User, USER_STATUSES, UserStatus } from '../../directory/user.entity';
import { errorsFromDomain, errorsFromValidation, formAttempt, FormCopy, FormErrors } from '../forms/form-errors';
import { checkWith, FormBody, formFields, list, text } from '../forms/form-input';
import { DomainError } from '../../common/domain-error';
import { renderPage, seeOther } from '../render';
import { WebPages } from '../web-pages.decorator';

const AGENCY_COPY: FormCopy = {
  name: { label: 'The name', id: 'name', required: 'Enter the agency’s name', invalid: 'The name must be on one line' },
  sector: {
    label: 'The sector',
    id: 'sector',
    required: 'Select the agency’s sector',
    invalid: 'Select one of the sectors',
  },
  emailDomains: {
    label: 'Email domains',
    id: 'emailDomains',
    required: 'Enter at least one email domain',
    invalid: 'Enter each email domain on its own line, like school.sch.uk',
    refused: 'One of these email domains already belongs to another agency',
  },
  active: {
    label: 'Whether it is active',
    id: 'active',
    required: 'Select whether the agency is active',
    invalid: 'Select whether the agency is active',
  },
};

/** The agency form's answers as the DTOs take them (domains one a line, or separated by commas). */
function agencyFrom(fields: FormBody) {
  const domains = (text(fields, 'emailDomains') ?? '').split(/[\s,]+/).filter(Boolean);
  return { name: text(fields, 'name'), sector: text(fields, 'sector'), emailDomains: domains };
}

/** A refusal about the domains (webmail, another agency's) is shown at the domains. */
function agencyErrors(err: DomainError): FormErrors {
  return errorsFromDomain(err, AGENCY_COPY, {
    fallbackField: err.code.startsWith('DOMAIN_') ? 'emailDomains' : 'name',
  });
}

const USER_COPY: FormCopy = {
  email: {
    label: 'The email address',
    id: 'email',
    required: 'Enter the person’s work email address',
    invalid: 'Enter an email address in the correct format, like name@school.sch.uk',
  },
  name: { label: 'The name', id: 'name', required: 'Enter the person’s name', invalid: 'The name must be on one line' },
  agencyId: {
    label: 'The agency',
    id: 'agencyId',
    required: 'Select the person’s agency',
    invalid: 'Select one of the agencies shown',
  },
  roles: { label: 'Roles', id: 'roles', required: 'Select at least one role', invalid: 'Select roles from the list' },
};

const ROLE_LABELS: Record<string, string> = {
  professional: 'Professional (books items)',
  'agency-lead': 'Agency lead (designated safeguarding lead: sees the agency’s items, approves its accounts)',
  chair: 'Chair',
  coordinator: 'Coordinator',
};

/** People on one page of the users list. */
const USERS_PAGE = 50;

/** Agencies and users, for coordinators, through DirectoryService as the API. */
@WebPages()
@Controller('admin')
@Roles('coordinator')
export class DirectoryPagesController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly sessions: SessionsService,
  ) {}

  @Get()
  index(@Req() req: AuthenticatedRequest, @Res() res: Response): void {
    renderPage(req, res, 'admin/index', { title: 'Manage the service' });
  }

  // --- agencies ---

  @Get('agencies')
  async agencies(
    @Query('added') added: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const agencies = (await this.directory.listAgencies()).map(toAgencyView);
    renderPage(req, res, 'admin/agencies', { title: 'Agencies', agencies, added: added === '1' });
  }

  @Get('agencies/new')
  newAgency(@Req() req: AuthenticatedRequest, @Res() res: Response): void {
    renderPage(req, res, 'admin/agency-new', { title: 'Add an agency', form: {}, backLink: '/admin/agencies' });
  }

  @Post('agencies/new')
  async createAgency(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const fields = formFields(body);
    const dto = agencyFrom(fields);
    const checked = await checkWith(CreateAgencyDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, AGENCY_COPY);
    if (!errors.any) {
      const made = await formAttempt(
        () => this.directory.createAgency(checked.value),
        (err) => agencyErrors(err),
      );
      if (made.ok) return seeOther(res, '/admin/agencies?added=1');
      errors = made.errors;
    }
    renderPage(
      req,
      res,
      'admin/agency-new',
      {
        title: 'Add an agency',
        form: { ...dto, emailDomains: text(fields, 'emailDomains') },
        errors,
        backLink: '/admin/agencies',
      },
      400,
    );
  }

  /** Rename, change the sector or the email domains, deactivate or reactivate (PATCH /api/agencies/:id). */
  @Get('agencies/:id')
  async agency(
    @Param('id', UuidParam) id: string,
    @Query('saved') saved: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const agency = await this.agencyView(id);
    const form = {
      name: agency.name,
      sector: agency.sector,
      emailDomains: agency.emailDomains.join('\n'),
      active: agency.active ? 'yes' : 'no',
    };
    this.renderAgency(req, res, agency, form, { saved: saved === '1' });
  }

  @Post('agencies/:id')
  async updateAgency(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const dto = { ...agencyFrom(fields), active: { yes: true, no: false }[text(fields, 'active') ?? ''] };
    const checked = await checkWith(UpdateAgencyDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, AGENCY_COPY);
    if (!dto.emailDomains.length)
      errors = errors.add([{ field: 'emailDomains', text: AGENCY_COPY.emailDomains.required, href: '#emailDomains' }]);
    if (dto.active === undefined)
      errors = errors.add([{ field: 'active', text: AGENCY_COPY.active.required, href: '#active' }]);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.directory.updateAgency(id, checked.value),
        (err) => agencyErrors(err),
      );
      if (done.ok) return seeOther(res, `/admin/agencies/${id}?saved=1`);
      errors = done.errors;
    }
    const form = { ...dto, emailDomains: text(fields, 'emailDomains'), active: text(fields, 'active') };
    this.renderAgency(req, res, await this.agencyView(id), form, { errors, status: errors.refusal?.statusCode ?? 400 });
  }

  private async agencyView(id: string) {
    return toAgencyView(await this.directory.getAgency(id));
  }

  private renderAgency(
    req: AuthenticatedRequest,
    res: Response,
    agency: ReturnType<typeof toAgencyView>,
    form: Record<string, unknown>,
    opts: { saved?: boolean; errors?: FormErrors; status?: number },
  ): void {
    renderPage(
      req,
      res,
      'admin/agency',
      {
        title: `Change ${agency.name}`,
        agency,
        form,
        saved: opts.saved ?? false,
        errors: opts.errors,
        backLink: '/admin/agencies',
      },
      opts.status ?? 200,
    );
  }

  // --- users ---

  @Get('users')
  async users(
    @Query('done') done: string | undefined,
    @Query('status') status: string | undefined,
    @Query() query: FormBody,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() me: User,
  ): Promise<void> {
    const filter = USER_STATUSES.find((s) => s === status) ?? null;
    const search = {
      q: text(query, 'q')?.trim().slice(0, 120),
      agencyId: text(query, 'agencyId'),
      role: ROLES.find((r) => r === text(query, 'role')),
    };
    const page = Number(text(query, 'page') ?? '1');
    await this.renderUsers(req, res, me, {
      done: done ?? null,
      filter,
      search,
      page: Number.isInteger(page) && page >= 1 ? page : 1,
    });
  }

  @Get('users/new')
  async newUser(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    await this.renderNewUser(req, res, { roles: ['professional'] });
  }

  @Post('users/new')
  async createUser(@Req() req: AuthenticatedRequest, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const fields = formFields(body);
    const dto = {
      email: text(fields, 'email'),
      name: text(fields, 'name'),
      agencyId: text(fields, 'agencyId'),
      roles: list(fields, 'roles'),
    };
    const checked = await checkWith(CreateUserDto, dto);
    let errors = errorsFromValidation(checked.errors, dto, USER_COPY);
    if (!errors.any) {
      const made = await formAttempt(
        () => this.directory.createUser(checked.value),
        (err) => errorsFromDomain(err, USER_COPY, { fallbackField: 'email' }),
      );
      if (made.ok) return seeOther(res, '/admin/users?done=added');
      errors = made.errors;
    }
    await this.renderNewUser(req, res, dto, errors, 400);
  }

  /** Ends every session of a user (DELETE /api/users/:id/sessions), asked first: they must sign in again. */
  @Post('users/:id/sessions')
  async endSessions(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() body: unknown,
  ): Promise<void> {
    const person = await this.directory.getUser(id);
    if (text(formFields(body), 'confirmed') !== 'yes') {
      return renderPage(req, res, 'admin/user-sessions-end', {
        title: `End ${person.name}’s sessions?`,
        person: toUserView(person),
        backLink: `/admin/users/${id}/roles`,
      });
    }
    const ended = await this.sessions.endAllFor(id);
    return seeOther(res, `/admin/users?done=${ended ? 'sessions-ended' : 'no-sessions'}`);
  }

  /** Approve or refuse a pending account, disable an active one (its sessions and feed end at once), or enable again. */
  @Post('users/:id/status')
  async setStatus(
    @Param('id', UuidParam) id: string,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @CurrentUser() me: User,
    @Body() body: unknown,
  ): Promise<void> {
    const fields = formFields(body);
    const dto = { status: text(fields, 'status') };
    // Disabling an active account ends its sessions and calendar link at once: asked first.
    if (dto.status === 'disabled' && text(fields, 'from') === 'active' && text(fields, 'confirmed') !== 'yes') {
      const person = await this.directory.getUser(id);
      return renderPage(req, res, 'admin/user-disable', {
        title: `Disable ${person.name}’s account?`,
        person: toUserView(person),
        backLink: '/admin/users',
      });
    }
    const checked = await checkWith(UpdateUserDto, dto);
    const copy: FormCopy = {
      status: { label: 'Status', id: `user-${id}`, required: 'Choose what to do with this account' },
    };
    let errors = errorsFromValidation(checked.errors, dto, copy);
    if (!errors.any) {
      const done = await formAttempt(
        () => this.directory.updateUser(id, checked.value, me),
        (err) => errorsFromDomain(err, copy, { fallbackField: 'status' }),
      );
      if (done.ok) {
        const from = text(fields, 'from');
        const outcome =
          checked.value.status === 'active'
            ? from === 'pending'
              ? 'approved'
              : 'enabled'
            : from === 'pending'
              ? 'refused'
              : 'disabled';
        return seeOther(res, `/admin/users?done=${outcome}${from === 'pending' ? '&status=pending' : ''}`);
      }
      errors = done.errors;
    }
    await this.renderUsers(req, res, me, { errors, status: 409, filter: null });
  }

  private async renderUsers(
    req: AuthenticatedRequest,
    res: Response,
    me: User,
    opts: {
      done?: string | null;
      errors?: FormErrors;
      status?: number;
      filter: UserStatus | null;
      search?: { q?: string; agencyId?: string; role?: string };
      /** 1, 2, …: USERS_PAGE people a page, in name order. */
      page?: number;
    },
  ): Promise<void> {
    const all = (await this.directory.listUsers({} as ListUsersQuery)).map(toUserView);
    const search = opts.search ?? {};
    // Name or address containing the words typed, any case; then agency and role.
    const words = (search.q ?? '').toLocaleLowerCase('en-GB').split(/\s+/).filter(Boolean);
    const users = all.filter(
      (u) =>
        (!opts.filter || u.status === opts.filter) &&
        words.every((w) => `${u.name} ${u.email}`.toLocaleLowerCase('en-GB').includes(w)) &&
        (!search.agencyId || u.agency?.id === search.agencyId) &&
        (!search.role || u.roles.includes(search.role as Role)),
    );
    // In pages, keeping the search: a page past the end shows the last one.
    const pages = Math.max(1, Math.ceil(users.length / USERS_PAGE));
    const page = Math.min(opts.page ?? 1, pages);
    const pageHref = (n: number) =>
      `/admin/users?${new URLSearchParams(
        Object.entries({ status: opts.filter ?? '', ...search, page: String(n) }).filter(
          (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '' && !(e[0] === 'page' && n === 1),
        ),
      ).toString()}`;
    renderPage(
      req,
      res,
      'admin/users',
      {
        title: opts.filter === 'pending' ? 'Accounts waiting for approval' : 'Users',
        users: users.slice((page - 1) * USERS_PAGE, page * USERS_PAGE),
        found: users.length,
        pagination:
          pages > 1
            ? {
                previous: page > 1 ? { href: pageHref(page - 1) } : undefined,
                next: page < pages ? { href: pageHref(page + 1) } : undefined,
                items: Array.from({ length: pages }, (_, i) => ({
                  number: i + 1,
                  href: pageHref(i + 1),
                  current: i + 1 === page,
                })),
                landmarkLabel: 'Pages of users',
              }
            : null,
        total: all.length,
        search,
        agencies: (await this.directory.listAgencies()).map(toAgencyView),
        roleOptions: ROLES.map((r) => ({ code: r, label: ROLE_LABELS[r] ?? r })),
        filter: opts.filter,
        pendingCount: all.filter((u) => u.status === 'pending').length,
        meId: me.id,
        roleLabels: ROLE_LABELS,
        done: opts.done,
        errors: opts.errors,
      },
      opts.status ?? 200,
    );
  }

  private async renderNewUser(
    req: AuthenticatedRequest,
    res: Response,
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 200,
  ): Promise<void> {
    const agencies = (await this.directory.listAgencies()).map(toAgencyView);
    renderPage(
      req,
      res,
      'admin/user-new',
      {
        title: 'Add a user',
        form,
        agencies,
        roles: ROLES.map((r) => ({ code: r, label: ROLE_LABELS[r] })),
        errors,
        backLink: '/admin/users',
      },
      status,
    );
  }
}
