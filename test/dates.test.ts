// Calendar dates from a Date or a year, month and day, and back: the day the
// account's calendar has, and no day that does not exist.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromCalendarDate, toCalendarDate } from "../src/dates.js";
import { createInvoiceXpressClient, type CalendarDate } from "../src/index.js";
import { createFakeAccount } from "../src/testing/index.js";

const rule = "Expected a real calendar date written dd/mm/yyyy, such as 03/12/2017.";

describe("toCalendarDate", () => {
  it("writes a Date as the day it is in Lisbon, the service's calendar, unless told another time zone", () => {
    // 23:30 UTC on 31 July is already 1 August in Lisbon (summer time, UTC+1), still 31 July in the Azores (UTC+0).
    const night = new Date("2026-07-31T23:30:00Z");
    const lisbon: CalendarDate = toCalendarDate(night);
    expect(lisbon).toBe("01/08/2026");
    expect(toCalendarDate(night, { timeZone: "Atlantic/Azores" })).toBe("31/07/2026");
    expect(toCalendarDate(night, { timeZone: "UTC" })).toBe("31/07/2026");
    // In winter Lisbon is on UTC.
    expect(toCalendarDate(new Date("2026-01-31T23:30:00Z"))).toBe("31/01/2026");
  });

  it("writes a year, month and day as given, padded", () => {
    expect(toCalendarDate({ year: 2026, month: 12, day: 31 })).toBe("31/12/2026");
    expect(toCalendarDate({ year: 2017, month: 3, day: 1 })).toBe("01/03/2017");
    expect(toCalendarDate({ year: 2028, month: 2, day: 29 })).toBe("29/02/2028");
    expect(toCalendarDate({ year: 2000, month: 2, day: 29 })).toBe("29/02/2000");
  });

  it("refuses a day that does not exist, naming the rule, instead of moving it", () => {
    expect(() => toCalendarDate({ year: 2026, month: 2, day: 31 })).toThrow(new RangeError(`31/02/2026 is not a calendar date. ${rule}`));
    for (const day of [
      { year: 2026, month: 2, day: 29 },
      { year: 2100, month: 2, day: 29 },
      { year: 2026, month: 4, day: 31 },
      { year: 2026, month: 13, day: 1 },
      { year: 2026, month: 0, day: 1 },
      { year: 2026, month: 1, day: 0 },
      { year: 2026, month: 1.5, day: 1 },
      { year: 12026, month: 1, day: 1 },
      { year: 2026, month: Number.NaN, day: 1 },
    ])
      expect(() => toCalendarDate(day), JSON.stringify(day)).toThrow(rule);
    expect(() => toCalendarDate(new Date("not a date"))).toThrow(new RangeError(`An invalid Date is not a calendar date. ${rule}`));
    // Intl would write the year 5 BC as 0006.
    expect(() => toCalendarDate(new Date(Date.UTC(-5, 0, 1)))).toThrow(new RangeError(`-000005-01-01T00:00:00.000Z is not a calendar date. ${rule}`));
    expect(() => toCalendarDate(new Date(Date.UTC(10_000, 0, 1)))).toThrow(rule);
  });

  it("agrees with the Date's own UTC fields for any instant from year 1000 to 9999", () => {
    const [from, to] = [Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (time) => {
        const date = new Date(time);
        const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        expect(toCalendarDate(date, { timeZone: "UTC" })).toBe(toCalendarDate({ year, month, day }));
        expect(fromCalendarDate(toCalendarDate(date, { timeZone: "UTC" }))).toEqual({ year, month, day });
      }),
    );
  });
});

describe("fromCalendarDate", () => {
  it("reads dd/mm/yyyy as a year, month and day", () => {
    expect(fromCalendarDate("03/12/2017")).toEqual({ year: 2017, month: 12, day: 3 });
    expect(fromCalendarDate("29/02/2028")).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it("refuses text that is not a real date written dd/mm/yyyy, naming it and the rule", () => {
    expect(() => fromCalendarDate("31/02/2026")).toThrow(new RangeError(`31/02/2026 is not a calendar date. ${rule}`));
    for (const text of ["2026-02-01", "1/2/2026", "29/02/2026", "31/12/2026 ", "", "00/01/2026"]) expect(() => fromCalendarDate(text), text).toThrow(rule);
  });
});

it("a date made from a Date is sent as the document's date, and read back", async () => {
  const account = createFakeAccount();
  const ix = createInvoiceXpressClient({ accountName: "acme", apiKey: "test", fetch: account.fetch });
  await ix.editDocument("invoices", 24206414, (body) => {
    body.invoice.due_date = toCalendarDate(new Date("2026-07-31T23:30:00Z"));
  });
  const sent = account.requests.at(-1)!;
  expect([sent.method, (sent.body as { invoice: { due_date: string } }).invoice.due_date]).toEqual(["PUT", "01/08/2026"]);
  expect(fromCalendarDate((await ix.getDocument("invoices", 24206414)).due_date!)).toEqual({ year: 2026, month: 8, day: 1 });
});
