import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PartialType } from '@nestjs/swagger';
import { ROLES, Role, USER_STATUSES, UserStatus } from '../user.entity';
import { SECTORS, Sector } from '../agency.entity';
import { IsEmailAddress } from '../../common/email-address';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim, trimLowerEach } from '../../common/input-rules';

export class NameField {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;
}

const DOMAIN_NAME = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

class AgencyFields {
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(160)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;

  @IsIn(SECTORS)
  sector: Sector;

  /**
   * Work e-mail domains whose holders may register (pending approval) as this agency's
   * professionals, e.g. `school.sch.uk`. Webmail and shared national domains (gmail.com, nhs.net,
   * gov.uk…) are refused with 422 DOMAIN_NOT_ALLOWED.
   */
  @Transform(trimLowerEach)
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(DOMAIN_NAME, { each: true, message: 'each email domain must be a domain name such as school.sch.uk' })
  emailDomains: string[];
}

export class CreateAgencyDto extends AgencyFields {}

/** Any of the agency's fields; `emailDomains` replaces the whole list; `active: false` deactivates it. */
export class UpdateAgencyDto extends PartialType(AgencyFields) {
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class CreateUserDto {
  @IsEmailAddress()
  email: string;

  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;

  /** Required for professionals and agency leads. */
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class UpdateUserDto {
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles?: Role[];

  /** `false` disables the account (as `status: "disabled"`), `true` makes it active. */
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** `active` approves a pending account or enables a disabled one; `disabled` ends its sessions and feed. */
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: Exclude<UserStatus, 'pending'>;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name?: string;

  /** `null` removes the agency (not allowed for professionals and agency leads). */
  @IsOptional()
  @IsUUID()
  agencyId?: string | null;
}

export class ListUsersQuery {
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}

export class UpdateMeDto extends NameField {}
