import { IsString, MaxLength } from 'class-validator';
import { IsEmailAddress } from '../../common/email-address';

export class SignInRequestDto {
  /** The work e-mail address to send the sign-in link to. */
  @IsEmailAddress()
  email: string;
}

export class TokenExchangeDto {
  /** The token from the sign-in link. */
  @IsString()
  @MaxLength(200)
  token: string;
}
