import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param.pipe';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { DirectoryService } from './directory.service';
import { AgencyView, UserView, toAgencyView, toUserView } from './directory.views';
import { CreateAgencyDto, CreateUserDto, ListUsersQuery, UpdateUserDto } from './dto/directory.dto';
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

  @Post('users')
  @HttpCode(201)
  async createUser(@Body() dto: CreateUserDto): Promise<UserView> {
    return toUserView(await this.directory.createUser(dto));
  }

  @Get('users')
  async listUsers(@Query() query: ListUsersQuery): Promise<UserView[]> {
    return (await this.directory.listUsers(query)).map(toUserView);
  }

  /** Change roles, agency or name, or disable (`active: false` ends the user's sessions at once). */
  @Patch('users/:id')
  async updateUser(
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() actor: User,
  ): Promise<UserView> {
    return toUserView(await this.directory.updateUser(id, dto, actor));
  }
}
