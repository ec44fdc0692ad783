import { Foundation1764140000000 } from './1764140000000-Foundation';

/** Every migration in order. Listed explicitly so that the same list works from ts and compiled js. */
export const MIGRATIONS = [Foundation1764140000000];
