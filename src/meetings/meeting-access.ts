import { User } from '../directory/user.entity';
import { Meeting } from './meeting.entity';

/** Whether the user runs this meeting: its chair, or any coordinator. They see its agenda and record it. */
export function chairsMeeting(user: User, meeting: Pick<Meeting, 'chairUserId'>): boolean {
  return user.hasRole('coordinator') || (user.hasRole('chair') && meeting.chairUserId === user.id);
}
