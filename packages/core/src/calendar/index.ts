/** Business calendars: opening hours in a time zone, holidays, exceptions, and business-time arithmetic. */
export {
  BusinessCalendarSchema,
  CalendarDateSchema,
  CalendarExceptionSchema,
  HolidaySchema,
  TimeIntervalSchema,
  WEEKDAYS,
  isValidTimeZone,
} from "./business-calendar.js";
export type {
  BusinessCalendar,
  BusinessCalendarInput,
  CalendarException,
  Holiday,
  TimeInterval,
  Weekday,
} from "./business-calendar.js";
export { defineCalendar } from "./define-calendar.js";
export { addBusinessTime } from "./add-business-time.js";
export { businessTimeBetween } from "./business-time-between.js";
export { isOpen } from "./is-open.js";
export { nextOpening } from "./next-opening.js";
export { importICalHolidays } from "./import-ical-holidays.js";
export { teamCalendars, calendarForTicket } from "./team-calendar.js";
export type { TeamCalendars } from "./team-calendar.js";
export { nextServiceTime, serviceHoursNotice } from "./service-time.js";
export type { NextServiceTime } from "./service-time.js";
