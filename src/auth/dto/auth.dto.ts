import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import { PLAIN_EMAIL, PLAIN_EMAIL_MESSAGE } from '../../directory/dto/directory.dto';

export class SignInRequestDto {
  /** The work e-mail address to send the sign-in link to. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'must be an e-mail address' })
  @MaxLength(254)
  @Matches(PLAIN_EMAIL, { message: PLAIN_EMAIL_MESSAGE })
  email: string;
}

export class TokenExchangeDto {
  /** The token from the sign-in link. */
  @IsString()
  @MaxLength(200)
  token: string;
}
