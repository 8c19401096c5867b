import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimeZonePolicy } from '../../src/core/types.js';
import {
  formatDuration,
  formatIso,
  parseDuration,
  parseTimestamp,
  type TimestampResult,
} from '../../src/core/time.js';

const utc = Date.UTC;
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function ok(value: unknown, tz: TimeZonePolicy = 'UTC'): Extract<TimestampResult, { ok: true }> {
  const r = parseTimestamp(value, tz);
  if (!r.ok) throw new Error(`expected ${String(value)} to parse: ${r.diagnostic.message}`);
  return r;
}

function bad(value: unknown, tz: TimeZonePolicy = 'UTC'): string {
  const r = parseTimestamp(value, tz);
  if (r.ok) throw new Error(`expected ${String(value)} to be rejected, got ${formatIso(r.ms)}`);
  expect(r.diagnostic.severity).toBe('warning');
  expect(r.diagnostic.code).toBe('bad-timestamp');
  expect(r.diagnostic.message).toContain('expected');
  return r.diagnostic.message;
}

describe('parseTimestamp: forms seen in real status files', () => {
  it.each<[string, number, boolean, string]>([
    ['2025-09-14 00:05:28', utc(2025, 8, 14, 0, 5, 28), false, 'second'],
    ['2025-09-14T06:28:07', utc(2025, 8, 14, 6, 28, 7), false, 'second'],
    ['2025-09-14T00:08:48Z', utc(2025, 8, 14, 0, 8, 48), true, 'second'],
    ['2025-09-14t00:08:48z', utc(2025, 8, 14, 0, 8, 48), true, 'second'],
    ['2025-09-13T23:24:48.000000', utc(2025, 8, 13, 23, 24, 48), false, 'fraction'],
    ['2025-09-14T01:18:39.684459', utc(2025, 8, 14, 1, 18, 39, 684), false, 'fraction'],
    ['2025-08-29T22:31:00.000000+00:00', utc(2025, 7, 29, 22, 31), true, 'fraction'],
    ['2026-01-12T12:36:12.612880+00:00', utc(2026, 0, 12, 12, 36, 12, 612), true, 'fraction'],
    ['2026-01-12T08', utc(2026, 0, 12, 8), false, 'hour'],
    ['2026-01-12T08:30', utc(2026, 0, 12, 8, 30), false, 'minute'],
    ['2025-10-11', utc(2025, 9, 11), false, 'day'],
  ])('%s', (text, ms, hadZone, precision) => {
    expect(parseTimestamp(text, 'UTC')).toEqual({ ok: true, ms, hadZone, precision });
  });

  it('keeps millisecond precision without rounding into the next second', () => {
    expect(ok('2025-09-13T23:24:48.999999').ms).toBe(utc(2025, 8, 13, 23, 24, 48, 999));
    expect(ok('2025-12-31T23:59:59.9999999Z').ms).toBe(utc(2025, 11, 31, 23, 59, 59, 999));
    expect(ok('2025-09-13T23:24:48.5').ms).toBe(utc(2025, 8, 13, 23, 24, 48, 500));
    expect(ok('2025-09-13T23:24:48.12').ms).toBe(utc(2025, 8, 13, 23, 24, 48, 120));
    expect(ok('2025-09-13T23:24:48,250').ms).toBe(utc(2025, 8, 13, 23, 24, 48, 250));
    expect(ok('2025-09-13T23:24:48.0009').ms).toBe(utc(2025, 8, 13, 23, 24, 48, 0));
  });

  it('applies explicit offsets exactly', () => {
    const base = utc(2025, 8, 14, 12, 0, 0);
    expect(ok('2025-09-14T12:00:00+00:00').ms).toBe(base);
    expect(ok('2025-09-14T12:00:00+0200').ms).toBe(base - 2 * HOUR);
    expect(ok('2025-09-14T12:00:00+02:00').ms).toBe(base - 2 * HOUR);
    expect(ok('2025-09-14T12:00:00-05:00').ms).toBe(base + 5 * HOUR);
    expect(ok('2025-09-14T12:00:00+05:30').ms).toBe(base - 5.5 * HOUR);
    expect(ok('2025-09-14T12:00:00+05').ms).toBe(base - 5 * HOUR);
    expect(ok('2025-09-14 12:00:00 UTC').ms).toBe(base);
    expect(ok('2025-09-14 12:00:00 +01:00').ms).toBe(base - HOUR);
    expect(ok('2025-09-14T12:00-03:00').ms).toBe(base + 3 * HOUR);
    expect(ok('2025-09-14T12:00-03:00').precision).toBe('minute');
  });

  it('ignores the zone policy when the stamp carries a zone', () => {
    for (const tz of ['local', 'UTC', { offsetMinutes: 120 }, { offsetMinutes: -300 }] as TimeZonePolicy[]) {
      expect(ok('2025-09-14T00:08:48Z', tz).ms).toBe(utc(2025, 8, 14, 0, 8, 48));
      expect(ok('2025-09-14T00:08:48-05:00', tz).ms).toBe(utc(2025, 8, 14, 5, 8, 48));
    }
  });

  it('accepts surrounding whitespace', () => {
    expect(ok('  2025-09-14 00:05:28\n').ms).toBe(utc(2025, 8, 14, 0, 5, 28));
  });

  it('accepts leap days only in leap years', () => {
    expect(ok('2024-02-29').ms).toBe(utc(2024, 1, 29));
    expect(ok('2000-02-29 12:00:00').ms).toBe(utc(2000, 1, 29, 12));
    bad('2025-02-29');
    bad('1900-02-29');
  });
});

describe('parseTimestamp: zone-less stamps and the zone policy', () => {
  it('reads them as UTC under UTC', () => {
    expect(ok('2025-09-14 00:05:28', 'UTC').ms).toBe(utc(2025, 8, 14, 0, 5, 28));
  });

  it('reads them at a fixed offset, exactly', () => {
    expect(ok('2025-09-14 00:05:28', { offsetMinutes: 120 }).ms).toBe(utc(2025, 8, 14, 0, 5, 28) - 2 * HOUR);
    expect(ok('2025-09-14 00:05:28', { offsetMinutes: -300 }).ms).toBe(utc(2025, 8, 14, 0, 5, 28) + 5 * HOUR);
    expect(ok('2025-09-14 00:05:28', { offsetMinutes: 330 }).ms).toBe(utc(2025, 8, 14, 0, 5, 28) - 330 * MIN);
    expect(ok('2025-10-11', { offsetMinutes: -300 }).ms).toBe(utc(2025, 9, 11, 5));
    expect(ok('2026-01-12T08', { offsetMinutes: 60 })).toEqual({
      ok: true,
      ms: utc(2026, 0, 12, 7),
      hadZone: false,
      precision: 'hour',
    });
  });

  it('reads them in the machine zone under local, like the local Date constructor', () => {
    expect(ok('2025-09-14 00:05:28', 'local').ms).toBe(new Date(2025, 8, 14, 0, 5, 28).getTime());
    expect(ok('2025-01-15T12:30:00.250', 'local').ms).toBe(new Date(2025, 0, 15, 12, 30, 0, 250).getTime());
    expect(ok('2025-10-11', 'local').ms).toBe(new Date(2025, 9, 11).getTime());
    expect(ok('2025-10-11', 'local').hadZone).toBe(false);
  });

  it('follows the machine zone, including daylight saving time', () => {
    const saved = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      // Only meaningful if the runtime picked up the zone change (Node does).
      if (new Date(2025, 0, 1).getTimezoneOffset() === 300) {
        expect(ok('2025-09-14 00:05:28', 'local').ms).toBe(utc(2025, 8, 14, 4, 5, 28)); // EDT
        expect(ok('2025-01-14 00:05:28', 'local').ms).toBe(utc(2025, 0, 14, 5, 5, 28)); // EST
        expect(ok('2025-10-11', 'local').ms).toBe(utc(2025, 9, 11, 4));
      }
      expect(ok('2025-09-14 00:05:28', 'local').ms).toBe(new Date(2025, 8, 14, 0, 5, 28).getTime());
      expect(ok('2025-09-14 00:05:28Z', 'local').ms).toBe(utc(2025, 8, 14, 0, 5, 28));
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

describe('parseTimestamp: epoch numbers', () => {
  it('reads numbers below 1e11 as seconds', () => {
    expect(parseTimestamp(1757830719, 'UTC')).toEqual({
      ok: true,
      ms: 1757830719000,
      hadZone: true,
      precision: 'second',
    });
    expect(ok(1757665262.21246)).toEqual({
      ok: true,
      ms: 1757665262212,
      hadZone: true,
      precision: 'fraction',
    });
    expect(ok(100_000_000.001).ms).toBe(100_000_000_001);
    expect(ok(100_000_000).ms).toBe(100_000_000_000); // 1973-03-03, the smallest accepted
    expect(ok(1757665262.9999).ms).toBe(1757665262999);
  });

  it('reads larger numbers as milliseconds', () => {
    expect(ok(1757830719212)).toEqual({ ok: true, ms: 1757830719212, hadZone: true, precision: 'fraction' });
    expect(ok(1757830719212.7).ms).toBe(1757830719212);
  });

  it('ignores the zone policy for numbers', () => {
    expect(ok(1757830719, { offsetMinutes: 120 }).ms).toBe(1757830719000);
    expect(ok(1757830719, 'local').ms).toBe(1757830719000);
  });

  it('rejects numbers in strings (documented: epoch times are JSON numbers only)', () => {
    expect(bad('1757830719')).toContain('number in quotes');
    bad('1757830719212');
    bad('1757665262.21246');
  });

  it('rejects impossible numbers', () => {
    bad(0);
    expect(bad(14.3)).toContain('too small'); // "uptime_hours": 14.3
    bad(3);
    bad(99_999_999);
    bad(-1);
    bad(Number.NaN);
    bad(Number.POSITIVE_INFINITY);
    bad(1e16); // milliseconds far beyond the year 9999
  });
});

describe('parseTimestamp: rejections', () => {
  it.each([
    'TIMESTAMP',
    'now',
    'YYYY-MM-DD HH:MM:SS',
    '{{timestamp}}',
    '<timestamp>',
    'null',
    'N/A',
    'messaging_unified.yaml',
  ])('rejects the placeholder %j', (text) => {
    expect(bad(text)).toContain('placeholder');
  });

  it.each([
    ['2025-13-45 25:61:00', 'month 13'],
    ['2025-00-10', 'month 0'],
    ['2025-04-31', 'day 31'],
    ['2025-09-00', 'day 0'],
    ['2025-09-14 24:00:00', 'hour 24'],
    ['2025-09-14 25:61:00', 'hour 25'],
    ['2025-09-14 12:60:00', 'minute 60'],
    ['2025-09-14 12:00:60', 'second 60'],
    ['1969-12-31', 'year 1969'],
    ['0000-01-01', 'year 0'],
  ])('rejects %j, naming the field (%s)', (text, detail) => {
    expect(bad(text)).toContain(detail);
  });

  it('rejects malformed stamps', () => {
    for (const text of [
      '2025-9-14',
      '2025/09/14 00:05:28',
      '20250914T000848Z',
      '2025-09-14T',
      '2025-09-14T1',
      '2025-09-14 00:05:28 PM',
      '2025-09-14T00:08:48+25:00',
      '2025-09-14T00:08:48+05:99',
      '2025-10-11Z',
      '10000-01-01',
      '2025-09-14T00:08:48Zjunk',
      'Sun, 14 Sep 2025 00:08:48 GMT',
      '4-5 hours', // seen in "estimated_time"
    ]) {
      bad(text);
    }
  });

  it('rejects stamps pushed outside 1970–9999 by their offset', () => {
    bad('1970-01-01T00:30:00+01:00');
    bad('9999-12-31T23:00:00-05:00');
    expect(ok('1970-01-01T00:00:00Z').ms).toBe(0);
  });

  it('rejects a time of day without a date', () => {
    expect(bad('23:29:00')).toContain('no date');
    expect(bad('23:29:00Z')).toContain('no date');
  });

  it('rejects empty strings and non-string, non-number values', () => {
    expect(bad('')).toContain('empty');
    expect(bad('   ')).toContain('empty');
    expect(bad(true)).toContain('boolean');
    expect(bad(false)).toContain('boolean');
    expect(bad(null)).toContain('null');
    expect(bad(undefined)).toContain('undefined');
    expect(bad({ current: '2025-09-14' })).toContain('object');
    expect(bad(['2025-09-14'])).toContain('list');
    expect(bad(new Date(Date.UTC(2025, 8, 14)))).toContain('Date object');
    bad(10n);
  });

  it('rejects very long strings cheaply', () => {
    bad('2025-09-14 00:05:28' + ' '.repeat(100) + 'x');
    bad('9'.repeat(100_000));
  });

  it('never puts raw control characters in the message', () => {
    const message = bad('\x1b]0;pwned\x07\x1b[2J2025-09-14\u202e');
    expect(message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    expect(message).toContain('\\u001b');
  });

  it('quotes the offending value in the message', () => {
    expect(bad('TIMESTAMP')).toMatch(/^Timestamp "TIMESTAMP" has no digits: a placeholder/);
  });
});

describe('parseTimestamp: round trip', () => {
  it('reads back what formatIso writes, and zone-less wall times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 14 * HOUR, max: 253_402_300_799_999 - 14 * HOUR }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offset) => {
          expect(ok(formatIso(ms)).ms).toBe(ms);
          const wall = new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
          expect(ok(wall, 'UTC').ms).toBe(ms);
          expect(ok(wall, { offsetMinutes: offset }).ms).toBe(ms - offset * MIN);
        },
      ),
      { numRuns: 300 },
    );
  });

  // Pieces of near-valid stamps, glued at random: explores the edges of the grammar.
  const stampish = fc
    .array(
      fc.constantFrom(
        '2025',
        '1969',
        '9999',
        '0000',
        '-',
        '09',
        '13',
        '00',
        '14',
        '29',
        '31',
        '32',
        'T',
        't',
        ' ',
        ':',
        '23',
        '24',
        '59',
        '60',
        '.',
        ',',
        '123456',
        '9',
        'Z',
        'z',
        '+',
        '-05:00',
        '0200',
        '+14',
        'UTC',
        'now',
        '\x1b',
        '\u202e',
      ),
      { maxLength: 14 },
    )
    .map((parts) => parts.join(''));
  const odd = fc.oneof(
    stampish,
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 80 }),
    fc.double(),
    fc.integer({ min: -1, max: 2 ** 53 }),
    fc.bigInt(),
    fc.constantFrom(undefined, null, true, false, Symbol('s'), () => 1, new Date(0)),
  );

  it('never throws, and whatever it accepts is in range and reads back', () => {
    fc.assert(
      fc.property(odd, fc.constantFrom<TimeZonePolicy>('local', 'UTC', { offsetMinutes: -300 }), (v, tz) => {
        const r = parseTimestamp(v, tz);
        if (r.ok) {
          expect(r.ms).toBeGreaterThanOrEqual(0);
          expect(r.ms).toBeLessThanOrEqual(253_402_300_799_999);
          expect(ok(formatIso(r.ms)).ms).toBe(r.ms);
        } else {
          expect(r.diagnostic.message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['15m', 15 * MIN],
    ['30s', 30_000],
    ['2h', 2 * HOUR],
    ['1d', DAY],
    ['1w', 7 * DAY],
    ['500ms', 500],
    ['1h30m', 90 * MIN],
    ['1h 30m', 90 * MIN],
    ['1d2h3m4s5ms', DAY + 2 * HOUR + 3 * MIN + 4000 + 5],
    ['1.5h', 90 * MIN],
    ['.5s', 500],
    ['90', 90_000],
    ['1.5', 1500],
    ['0', 0],
    ['0s', 0],
    [' 15m ', 15 * MIN],
    ['15 m', 15 * MIN],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    '',
    '   ',
    'abc',
    '-5m',
    '5x',
    'm',
    '15M',
    '1h1h',
    '1h-30m',
    '15m!',
    'Infinity',
    '1e3',
    '5 5m',
    'NaN',
    '99999999999999999999d',
    '2 hours',
    '4-5 hours',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [999, '0s'],
    [4000, '4s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [12 * MIN, '12m'],
    [59 * MIN + 59_999, '59m'],
    [3 * HOUR, '3h'],
    [23 * HOUR + 59 * MIN, '23h'],
    [5 * DAY, '5d'],
    [364 * DAY, '364d'],
    [365 * DAY, '1y'],
    [2 * 365 * DAY + 10 * DAY, '2y'],
    [-3 * MIN, 'in 3m'],
    [-2 * HOUR - 1, 'in 2h'],
    [-500, '0s'],
    [-1000, 'in 1s'],
    [Number.NaN, '?'],
    [Number.POSITIVE_INFINITY, '?'],
  ])('%i ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatIso', () => {
  it('writes ISO-8601 UTC with Z', () => {
    expect(formatIso(utc(2025, 8, 14, 0, 8, 48))).toBe('2025-09-14T00:08:48.000Z');
    expect(formatIso(utc(2025, 8, 13, 23, 24, 48, 684))).toBe('2025-09-13T23:24:48.684Z');
    expect(formatIso(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('writes "invalid" for values out of range', () => {
    expect(formatIso(Number.NaN)).toBe('invalid');
    expect(formatIso(9e15)).toBe('invalid');
  });
});
