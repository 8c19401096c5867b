// Minimal colouring for headless output; honours NO_COLOR and --no-color.
const CODES: Record<string, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  gray: [90, 39],
  bold: [1, 22],
  dim: [2, 22],
};

export type Paint = (color: string, text: string) => string;

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_c, t) => t;
  return (color, text) => {
    const c = CODES[color];
    return c ? `\x1b[${c[0]}m${text}\x1b[${c[1]}m` : text;
  };
}

export function colorWanted(flag: boolean | undefined, stream: NodeJS.WriteStream): boolean {
  if (flag === false) return false;
  if (process.env['NO_COLOR'] !== undefined && process.env['NO_COLOR'] !== '') return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}
