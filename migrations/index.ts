import { Foundation1764140000000 } from './1764140000000-Foundation';
import { MeetingsAndBookings1764150000000 } from './1764150000000-MeetingsAndBookings';

/** Every migration in order. Listed explicitly so that the same list works from ts and compiled js. */
export const MIGRATIONS = [Foundation1764140000000, MeetingsAndBookings1764150000000];
