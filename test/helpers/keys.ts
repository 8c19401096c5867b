// Key codes as a terminal sends them, for writing to ink-testing-library's stdin.
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  space: ' ',
  backspace: '\u007F',
  tab: '\t',
  ctrlC: '\u0003',
} as const;
