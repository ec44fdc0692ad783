import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, Role } from '../user.entity';
import { SECTORS, Sector } from '../agency.entity';
import { SINGLE_LINE, SINGLE_LINE_MESSAGE, trim, trimLower, trimLowerEach } from '../../common/input-rules';

/**
 * `@IsEmail` accepts quoted local parts such as `"jo\r\nBcc: x"@school.sch.uk`, which may hold
 * spaces, quotes and control characters (CR/LF). Work addresses never need them: refuse them.
 */
export const PLAIN_EMAIL = /^[^\s"\p{Cc}]+$/u;
export const PLAIN_EMAIL_MESSAGE = 'must not contain spaces, quotes or control characters';

export class NameField {
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;
}

export class CreateAgencyDto {
  @Transform(trim)
  @IsString()
  @MinLength(2)
  @MaxLength(160)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;

  @IsIn(SECTORS)
  sector: Sector;

  /** Work e-mail domains whose holders may register as professionals of this agency, e.g. `school.sch.uk`. */
  @Transform(trimLowerEach)
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @Matches(/^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    each: true,
    message: 'each e-mail domain must be a domain name such as school.sch.uk',
  })
  emailDomains: string[];
}

export class CreateUserDto {
  @Transform(trimLower)
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  @Matches(PLAIN_EMAIL, { message: PLAIN_EMAIL_MESSAGE })
  email: string;

  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name: string;

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

  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  @Matches(SINGLE_LINE, { message: SINGLE_LINE_MESSAGE })
  name?: string;

  @IsOptional()
  @IsUUID()
  agencyId?: string;
}

export class ListUsersQuery {
  @IsOptional()
  @IsUUID()
  agencyId?: string;

  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}

export class UpdateMeDto extends NameField {}
