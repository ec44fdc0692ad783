import { User } from '../directory/user.entity';
import { canWithdrawBooking, mayBookFor } from './booking-access';
import { Booking } from './booking.entity';

const person = (
  id: string,
  agencyId: string | null,
  roles: User['roles'] = ['professional'],
  status: User['status'] = 'active',
) => Object.assign(new User(), { id, agencyId, roles, status, name: id, email: `${id}@x.test` });

describe('mayBookFor: who may make whom an item’s presenter', () => {
  it('lets anyone present their own item', () => {
    const dee = person('dee', 'school');
    expect(mayBookFor(dee, dee)).toBe(true);
  });

  it('lets a professional book for an active colleague of the same agency only', () => {
    const dee = person('dee', 'school');
    expect(mayBookFor(dee, person('deputy', 'school'))).toBe(true);
    expect(mayBookFor(dee, person('nurse', 'health'))).toBe(false);
    expect(mayBookFor(dee, person('chair', null, ['chair']))).toBe(false);
    expect(mayBookFor(dee, person('left', 'school', ['professional'], 'disabled'))).toBe(false);
    expect(mayBookFor(dee, person('new', 'school', ['professional'], 'pending'))).toBe(false);
  });

  it('refuses a booker without an agency, unless a coordinator', () => {
    expect(mayBookFor(person('nobody', null), person('deputy', 'school'))).toBe(false);
    expect(mayBookFor(person('coord', null, ['coordinator']), person('nurse', 'health'))).toBe(true);
  });

  it('lets a coordinator book for anyone active with an agency, not for someone without one', () => {
    const coordinator = person('coord', null, ['coordinator']);
    expect(mayBookFor(coordinator, person('chair', null, ['chair']))).toBe(false);
    expect(mayBookFor(coordinator, person('left', 'school', ['professional'], 'disabled'))).toBe(false);
  });

  it('keeps withdrawing to the presenter and coordinators, so a booked-for colleague may withdraw', () => {
    const item = Object.assign(new Booking(), { presenterUserId: 'deputy' });
    expect(canWithdrawBooking(person('deputy', 'school'), item)).toBe(true);
    expect(canWithdrawBooking(person('dee', 'school'), item)).toBe(false);
    expect(canWithdrawBooking(person('coord', null, ['coordinator']), item)).toBe(true);
  });
});
