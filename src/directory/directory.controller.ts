import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param.pipe';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { DirectoryService } from './directory.service';
import { AgencyView, UserView, toAgencyView, toUserView } from './directory.views';
import { CreateAgencyDto, CreateUserDto, ListUsersQuery, UpdateAgencyDto, UpdateUserDto } from './dto/directory.dto';
import { User } from './user.entity';

@ApiTags('directory')
@ApiBearerAuth()
@Controller('api')
@Roles('coordinator')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  /** Add an agency with the work e-mail domains whose holders may register as its professionals. */
  @Post('agencies')
  @HttpCode(201)
  async createAgency(@Body() dto: CreateAgencyDto): Promise<AgencyView> {
    return toAgencyView(await this.directory.createAgency(dto));
  }

  @Get('agencies')
  async listAgencies(): Promise<AgencyView[]> {
    return (await this.directory.listAgencies()).map(toAgencyView);
  }

  /**
   * Rename, change the sector, replace the e-mail domains, or deactivate (`active: false`: no new
   * registrations; existing accounts are kept). 422 DOMAIN_NOT_ALLOWED for webmail and shared
   * national domains, 409 DOMAIN_TAKEN for another agency's.
   */
  @Patch('agencies/:id')
  async updateAgency(@Param('id', UuidParam) id: string, @Body() dto: UpdateAgencyDto): Promise<AgencyView> {
    return toAgencyView(await this.directory.updateAgency(id, dto));
  }

  @Post('users')
  @HttpCode(201)
  async createUser(@Body() dto: CreateUserDto): Promise<UserView> {
    return toUserView(await this.directory.createUser(dto));
  }

  /** `?status=pending` lists accounts waiting for approval. Agency leads see their own agency's people. */
  @Get('users')
  @Roles('coordinator', 'agency-lead')
  async listUsers(@Query() query: ListUsersQuery, @CurrentUser() reader: User): Promise<UserView[]> {
    return (await this.directory.listUsers(query, reader)).map(toUserView);
  }

  /**
   * Change roles, agency or name; approve a pending account (`status: "active"`); disable
   * (`status: "disabled"` or `active: false`: ends the user's sessions and calendar feed at once).
   * Agency leads may only approve or refuse their own agency's pending accounts.
   */
  @Patch('users/:id')
  @Roles('coordinator', 'agency-lead')
  async updateUser(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() actor: User,
  ): Promise<UserView> {
    return toUserView(await this.directory.updateUser(id, dto, actor));
  }
}
