/**
 * The fixed calendar every date-dependent test lives in: 2027, a year with everything that goes
 * wrong with dates in England and Wales. The test clock starts on TEST_START and runs on in real
 * time from there (so retries and leases still expire), whatever today's date is: which
 * bank-holiday and clock-change paths a test runs no longer changes from day to day.
 *
 * 2027 in London:
 * - New Year's Day, Friday 1 January, a bank holiday;
 * - clocks go forward on Sunday 28 March (01:00 GMT becomes 02:00 BST), Easter Sunday itself:
 *   Good Friday 26 March and Easter Monday 29 March are bank holidays either side of it;
 * - early May bank holiday Monday 3 May; spring bank holiday Monday 31 May;
 * - summer bank holiday Monday 30 August;
 * - clocks go back on Sunday 31 October (02:00 BST becomes 01:00 GMT: 01:00-02:00 happens twice);
 * - Christmas Day and Boxing Day fall on Saturday and Sunday: the substitute bank holidays are
 *   Monday 27 and Tuesday 28 December.
 */
export const TEST_START = new Date('2027-01-04T09:30:00Z'); // Monday 4 January 2027, 09:30 GMT

export const FIXTURE_DAYS = {
  newYear: '2027-01-01',
  goodFriday: '2027-03-26',
  clocksForward: '2027-03-28',
  easterMonday: '2027-03-29',
  earlyMay: '2027-05-03',
  springBankHoliday: '2027-05-31',
  summerBankHoliday: '2027-08-30',
  clocksBack: '2027-10-31',
  christmasSaturday: '2027-12-25',
  christmasSubstitute: '2027-12-27',
  boxingDaySubstitute: '2027-12-28',
} as const;
