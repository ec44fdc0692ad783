import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';

export class SignInRequestDto {
  /** The work e-mail address to send the sign-in link to. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email: string;
}

export class TokenExchangeDto {
  /** The token from the sign-in link. */
  @IsString() @MaxLength(200)
  token: string;
}
