// Reading and showing times. Pure: the current time is always passed in, never read here.
//
// Timestamps in agent status files are written by hand and by several scripts, so they
// come in many shapes (docs/DESIGN.md principle 3; fixtures/malformed holds examples). `parseTimestamp` accepts:
//
//   2025-09-14 00:05:28            the most common form; no zone
//   2025-09-14T00:08:48Z           ISO with Z (lowercase `t`/`z` too)
//   2025-09-13T23:24:48.000000     Python isoformat, microseconds (cut to milliseconds,
//                                  never rounded up into the next second)
//   2025-08-29T22:31:00.000000+00:00, ...+0200, ...-05:00, ...+05   numeric offsets
//   2025-09-14 00:08:48 UTC        a trailing ` UTC` / ` GMT` (also `Z` after a space)
//   2026-01-12T08, 2026-01-12T08:30   hour-only and minute-only
//   2025-10-11                     date-only: midnight, precision 'day'
//   1757830719, 1757830719.212, 1757830719212   epoch seconds / milliseconds (numbers only)
//
// Zone-less stamps are read in the configured TimeZonePolicy. Epoch numbers below 1e11 are
// seconds (1e11 s is the year 5138), larger ones milliseconds; numbers below 1e8 (before
// 1973-03-03) are rejected as counts or durations (`"uptime_hours": 14.3`). Numbers in strings
// ("1757830719") are rejected: epoch times must be JSON numbers, and a quoted number is more
// likely an id or a counter than a time. Rejected with a `bad-timestamp` warning:
// placeholders ("TIMESTAMP", "now", "YYYY-MM-DD HH:MM:SS"), out-of-range fields (month 13,
// 25:61 - checked field by field, never rolled over as Date would), time-only values
// ("23:29:00"), years before 1970 or after 9999, tiny epoch numbers, empty strings, booleans, Date
// objects and anything else that is not a string or a number.

import type { Diagnostic, TimeZonePolicy } from './types.js';
import { sanitizeValue } from './sanitize.js';

export type TimestampPrecision = 'hour' | 'minute' | 'second' | 'fraction' | 'day';

export type TimestampResult =
  | { ok: true; ms: number; hadZone: boolean; precision: TimestampPrecision }
  | { ok: false; diagnostic: Diagnostic };

const MIN_YEAR = 1970;
const MAX_YEAR = 9999;
/** 9999-12-31T23:59:59.999Z */
const MAX_MS = 253_402_300_799_999;
/** Epoch numbers below this are seconds, the rest milliseconds. */
const EPOCH_SECONDS_BELOW = 1e11;
/** Smaller numbers (before 1973-03-03) are counts or durations, not times. */
const EPOCH_SECONDS_MIN = 1e8;
/** Longer strings are not timestamps (the longest accepted form is about 40 characters). */
const MAX_STAMP_LENGTH = 64;

const EXPECTED =
  'expected a date-time like "2025-09-14 00:05:28" or "2025-09-14T00:08:48Z" (ISO-8601, optional ' +
  'offset), a date like "2025-09-14", or epoch seconds/milliseconds as a number';

// Groups: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second, 7 fraction,
// 8 Z, 9 UTC/GMT, 10 offset sign, 11 offset hours, 12 offset minutes.
const STAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?: ?(?:(Z)|(UTC|GMT)|([+-])(\d{2})(?::?(\d{2}))?))?)?$/i;
const TIME_ONLY = /^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i;
const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_LIKE = /^\d{4}\D\d{1,2}\D\d{1,2}/;

function fail(what: string, detail: string): TimestampResult {
  const diagnostic: Diagnostic = {
    severity: 'warning',
    code: 'bad-timestamp',
    message: `Timestamp ${what} ${detail}; ${EXPECTED}.`,
  };
  return { ok: false, diagnostic };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function fromNumber(value: number, shown: string): TimestampResult {
  if (!Number.isFinite(value)) return fail(shown, 'is not a finite number');
  if (value < 0) return fail(shown, 'is before 1970');
  if (value === 0) return fail(shown, "is epoch zero, which usually means 'never'");
  if (value < EPOCH_SECONDS_MIN) {
    return fail(shown, 'is too small for an epoch time (before 1973-03-03): a count or a duration?');
  }
  let ms: number;
  let precision: TimestampPrecision;
  if (value < EPOCH_SECONDS_BELOW) {
    const whole = Math.trunc(value);
    const micros = Math.round((value - whole) * 1e6); // exact split; round off float noise
    ms = whole * 1000 + Math.floor(micros / 1000);
    precision = whole === value ? 'second' : 'fraction';
  } else {
    ms = Math.floor(value);
    precision = 'fraction';
  }
  if (ms > MAX_MS) return fail(shown, 'is after the year 9999');
  return { ok: true, ms, hadZone: true, precision };
}

function describeOutOfRange(label: string, value: number, range: string): string {
  return `has ${label} ${value} out of range (${range})`;
}

function fromString(raw: string, tz: TimeZonePolicy, shown: string): TimestampResult {
  const text = raw.trim();
  if (text === '') return fail(shown, 'is empty');
  if (text.length > MAX_STAMP_LENGTH) return fail(shown, 'is too long to be a timestamp');
  const m = STAMP.exec(text);
  if (m === null) {
    if (!/\d/.test(text)) return fail(shown, 'has no digits: a placeholder or a word, not a time');
    if (NUMERIC.test(text)) {
      return fail(shown, 'is a number in quotes (epoch times are only read from JSON numbers)');
    }
    if (TIME_ONLY.test(text)) return fail(shown, 'has a time of day but no date');
    if (DATE_LIKE.test(text)) return fail(shown, 'is not in a recognised date-time form');
    return fail(shown, 'is not a recognised date-time');
  }

  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // Milliseconds: the first three fraction digits, cut (not rounded) so .999999 stays in its second.
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));

  if (year < MIN_YEAR || year > MAX_YEAR) {
    return fail(shown, describeOutOfRange('year', year, `${MIN_YEAR}–${MAX_YEAR}`));
  }
  if (month < 1 || month > 12) return fail(shown, describeOutOfRange('month', month, '01–12'));
  const lastDay = daysInMonth(year, month);
  if (day < 1 || day > lastDay) {
    return fail(shown, describeOutOfRange('day', day, `01–${lastDay} for ${year}-${m[2]}`));
  }
  if (hour > 23) return fail(shown, describeOutOfRange('hour', hour, '00–23'));
  if (minute > 59) return fail(shown, describeOutOfRange('minute', minute, '00–59'));
  if (second > 59) return fail(shown, describeOutOfRange('second', second, '00–59'));

  let offsetMinutes: number | null = null;
  if (m[8] !== undefined || m[9] !== undefined) offsetMinutes = 0;
  else if (m[10] !== undefined) {
    const oh = Number(m[11]);
    const om = m[12] === undefined ? 0 : Number(m[12]);
    if (oh > 23 || om > 59) return fail(shown, 'has an out-of-range time-zone offset');
    offsetMinutes = (m[10] === '-' ? -1 : 1) * (oh * 60 + om);
  }

  const precision: TimestampPrecision =
    m[4] === undefined
      ? 'day'
      : m[5] === undefined
        ? 'hour'
        : m[6] === undefined
          ? 'minute'
          : m[7] === undefined
            ? 'second'
            : 'fraction';

  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  let ms: number;
  if (offsetMinutes !== null) ms = wall - offsetMinutes * 60_000;
  else if (tz === 'UTC') ms = wall;
  else if (tz === 'local') {
    // The local-time constructor: converts a wall-clock time in the machine's zone. It does
    // not read the clock. Times in a DST gap move forward; ambiguous times take the earlier.
    ms = new Date(year, month - 1, day, hour, minute, second, millis).getTime();
  } else ms = wall - tz.offsetMinutes * 60_000;

  if (!Number.isFinite(ms)) return fail(shown, 'cannot be placed in the configured time zone');
  // An offset or zone can push a stamp from the edge of the range just outside it.
  if (ms < 0 || ms > MAX_MS) return fail(shown, `is outside the years ${MIN_YEAR}–${MAX_YEAR}`);
  return { ok: true, ms, hadZone: offsetMinutes !== null, precision };
}

/**
 * Reads a timestamp from a raw document value. Zone-less forms are read in `tz`.
 * Never throws: anything unreadable gives a `bad-timestamp` warning saying what was expected.
 */
export function parseTimestamp(value: unknown, tz: TimeZonePolicy): TimestampResult {
  const shown = sanitizeValue(value, 60);
  if (typeof value === 'number') return fromNumber(value, shown);
  if (typeof value === 'string') return fromString(value, tz, shown);
  if (Object.prototype.toString.call(value) === '[object Date]') {
    return fail(shown, 'is a Date object (read YAML timestamps as strings so the zone policy applies)');
  }
  const kind =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;
  return fail(shown, `is ${kind}, not a string or number`);
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)/y;

/**
 * Reads a duration: `15m`, `30s`, `2h`, `1d`, `1w`, `500ms`, combinations such as `1h30m`
 * or `1h 30m` (each unit at most once), decimals (`1.5h`); a plain number is seconds.
 * Units are lowercase. Returns milliseconds (rounded), or null for anything else, including
 * negative or absurdly large values.
 */
export function parseDuration(text: string): number | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t === '' || t.length > 64) return null;
  let ms: number;
  if (/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(t)) ms = Number(t) * 1000;
  else {
    ms = 0;
    const seen = new Set<string>();
    DURATION_PART.lastIndex = 0;
    let pos = 0;
    while (pos < t.length) {
      DURATION_PART.lastIndex = pos;
      const m = DURATION_PART.exec(t);
      if (m === null) return null;
      const unit = m[2]!;
      if (seen.has(unit)) return null;
      seen.add(unit);
      ms += Number(m[1]) * DURATION_UNITS[unit]!;
      pos = DURATION_PART.lastIndex;
      while (t[pos] === ' ') pos++;
    }
  }
  const rounded = Math.round(ms);
  return Number.isSafeInteger(rounded) ? rounded : null;
}

/**
 * A compact age for a table column, rounded down to one unit: `0s`, `4s`, `12m`, `3h`,
 * `5d`, `2y` (a year is 365 days). Negative durations (times in the future) read `in 3m`;
 * anything under a second either way is `0s`. Non-finite input gives `?`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 60_000) text = `${Math.floor(abs / 1000)}s`;
  else if (abs < 3_600_000) text = `${Math.floor(abs / 60_000)}m`;
  else if (abs < 86_400_000) text = `${Math.floor(abs / 3_600_000)}h`;
  else if (abs < 365 * 86_400_000) text = `${Math.floor(abs / 86_400_000)}d`;
  else text = `${Math.floor(abs / (365 * 86_400_000))}y`;
  return ms <= -1000 ? `in ${text}` : text;
}

/**
 * An age for a live screen: whole minutes and up (`<1m`, `3m`, `2h`), so a screen where
 * nothing happens has nothing to redraw more than once a minute. Fresh changes are lit
 * for a moment anyway; exact times are in the detail pane.
 */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (Math.abs(ms) < 60_000) return ms <= -1000 ? 'in <1m' : '<1m';
  return formatDuration(ms);
}

/** ISO-8601 in UTC with milliseconds and `Z` (`2025-09-14T00:08:48.000Z`); `invalid` if out of range. */
export function formatIso(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'invalid' : d.toISOString();
}
