import { Foundation1764140000000 } from './1764140000000-Foundation';
import { MeetingsAndBookings1764150000000 } from './1764150000000-MeetingsAndBookings';
import { OutcomesAndMinutes1764160000000 } from './1764160000000-OutcomesAndMinutes';
import { Calendar1764170000000 } from './1764170000000-Calendar';
import { WebBookingDrafts1764190000000 } from './1764190000000-WebBookingDrafts';
import { ReportsAndRetention1764200000000 } from './1764200000000-ReportsAndRetention';
import { AccountsApproval1764300000000 } from './1764300000000-AccountsApproval';
import { NeedToKnow1764310000000 } from './1764310000000-NeedToKnow';
import { Limits1764320000000 } from './1764320000000-Limits';
import { CalendarsThatStayRight1764330000000 } from './1764330000000-CalendarsThatStayRight';
import { CalendarDelivery1764340000000 } from './1764340000000-CalendarDelivery';
import { SharedRateLimits1764350000000 } from './1764350000000-SharedRateLimits';
import { SingleSignOn1764360000000 } from './1764360000000-SingleSignOn';
import { BookingForColleague1764370000000 } from './1764370000000-BookingForColleague';
import { FollowUpItems1764380000000 } from './1764380000000-FollowUpItems';
import { MonthlySeries1764390000000 } from './1764390000000-MonthlySeries';
import { ThresholdVersions1764410000000 } from './1764410000000-ThresholdVersions';
import { SeriesInvites1764420000000 } from './1764420000000-SeriesInvites';
import { CalendarReplies1764430000000 } from './1764430000000-CalendarReplies';
import { WhatHappenedNext1764400000000 } from './1764400000000-WhatHappenedNext';

/** Every migration in order. Listed explicitly so that the same list works from ts and compiled js. */
export const MIGRATIONS = [
  Foundation1764140000000,
  MeetingsAndBookings1764150000000,
  OutcomesAndMinutes1764160000000,
  Calendar1764170000000,
  WebBookingDrafts1764190000000,
  ReportsAndRetention1764200000000,
  AccountsApproval1764300000000,
  NeedToKnow1764310000000,
  Limits1764320000000,
  CalendarsThatStayRight1764330000000,
  CalendarDelivery1764340000000,
  SharedRateLimits1764350000000,
  SingleSignOn1764360000000,
  BookingForColleague1764370000000,
  FollowUpItems1764380000000,
  MonthlySeries1764390000000,
  WhatHappenedNext1764400000000,
  ThresholdVersions1764410000000,
  SeriesInvites1764420000000,
  CalendarReplies1764430000000,
];
