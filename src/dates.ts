// Calendar dates as the service writes them, dd/mm/yyyy (`CalendarDate`):
// made from a Date or a year, month and day, and read back, each checked.
import { ruleMessages, schemas } from "../generated/request-schemas.js";
import type { CalendarDate } from "../generated/schema.js";

/** A day of the calendar: `month` from 1 (January) to 12, `day` from 1. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

/** Where a `Date`'s day is read: `timeZone` is an IANA name, Europe/Lisbon unless given. */
export interface CalendarDateOptions {
  timeZone?: string;
}

const realDate = /* @__PURE__ */ new RegExp(schemas.CalendarDate!.pattern!);

/** `text` as a CalendarDate, or a RangeError that names it and the spec's rule. */
function checked(text: string, what = text): CalendarDate {
  if (!realDate.test(text)) throw new RangeError(`${what} is not a calendar date. ${ruleMessages.CalendarDate}`);
  return text as CalendarDate;
}

/**
 * `date` written dd/mm/yyyy. A `Date` is an instant, and which day it is
 * depends on where: it is written as the day it is in Europe/Lisbon, since
 * the service is Portuguese and a document's dates are days of the
 * account's calendar (an account in the Azores passes
 * `{ timeZone: "Atlantic/Azores" }`). A `{ year, month, day }` is written as
 * given. A day that does not exist (31/02/2026) throws a RangeError rather
 * than become another, as the service would make it today's.
 */
export function toCalendarDate(date: Date | CalendarDay, { timeZone = "Europe/Lisbon" }: CalendarDateOptions = {}): CalendarDate {
  let day = date as CalendarDay;
  if (date instanceof Date) {
    // Before year 1 the calendar counts years backwards (1 BC): no dd/mm/yyyy says it.
    if (!(date.getUTCFullYear() > 0)) checked("", Number.isNaN(date.getTime()) ? "An invalid Date" : date.toISOString());
    const format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" });
    day = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, Number(part.value)])) as unknown as CalendarDay;
  }
  const pad = (value: number, digits: number) => String(value).padStart(digits, "0");
  return checked(`${pad(day.day, 2)}/${pad(day.month, 2)}/${pad(day.year, 4)}`);
}

/** A dd/mm/yyyy date's year, month and day; text that is not a real date throws a RangeError. */
export function fromCalendarDate(text: string): CalendarDay {
  const [day, month, year] = checked(text).split("/").map(Number) as [number, number, number];
  return { year, month, day };
}
