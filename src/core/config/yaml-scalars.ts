// YAML scalars as sync-tui.config.yaml writes them (README.md "Configuration"): text that
// reads back as the same text, durations and time zones in the units the config reads. Pure.
import type { TimeZonePolicy } from '../types.js';

/** Words YAML would read as something other than text. */
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~|[-+]?\.(?:inf|nan))$/i;
/** Text safe as a plain scalar in block and flow context alike. */
const PLAIN = /^[A-Za-z_.][A-Za-z0-9_./-]*$/;

/** A string as a YAML scalar: plain when that reads back as the same text, else double-quoted. */
export function yamlString(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

export function flowList(items: readonly string[]): string {
  return `[${items.map(yamlString).join(', ')}]`;
}

/** A duration in the units the config reads: `15m`, `1h30m`, `90s`, `500ms`. */
export function formatDurationSetting(ms: number): string {
  if (!(ms > 0)) return '0s';
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

export function formatTimeZone(tz: TimeZonePolicy): string {
  if (tz === 'local' || tz === 'UTC') return tz;
  const sign = tz.offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tz.offsetMinutes);
  return JSON.stringify(
    `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`,
  );
}
