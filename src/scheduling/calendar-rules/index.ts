export { LONDON_ZONE } from './iso-date';
export { bankHolidaysInYear, isBankHoliday } from './bank-holidays';
export {
  addWorkingDays,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  subtractWorkingDays,
  workingDaysBetween,
} from './working-days';
export {
  bookingClosesAt,
  deriveSlots,
  horizonEnd,
  instantToLondon,
  londonToday,
  planOccurrences,
  wallClockToInstant,
} from './meeting-dates';
export type { BankHolidayPolicy, PlannedOccurrence, PlanOccurrencesOptions, SlotTimes } from './meeting-dates';
export {
  describeRecurrence,
  formatRecurrence,
  MONTHLY_ORDINALS,
  nominalDates,
  ORDINAL_WORDS,
  parseRecurrence,
  RULE_WEEKDAYS,
  seriesRecurrence,
  WEEKDAY_WORDS,
} from './recurrence';
export type { MonthlyOrdinal, Recurrence, RuleWeekday } from './recurrence';
