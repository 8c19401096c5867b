// Settings of the live view that persist per root (README.md "Keys and screen"): the sort
// (mode or column and direction), the text and verdict filters, whether the detail pane is
// open, and the bell. Saved to <state dir>/ui.json by the shell, restored on the next start
// unless --no-restore. Pure: reading is tolerant (a bad file is reported, never thrown) and
// every value is checked before it reaches the state.
import type { ColumnSort } from '../view/table-sort.js';
import type { UiState } from './ui-state.js';
import { SORT_MODES, VERDICT_FILTERS, type SortMode, type VerdictFilter } from './visible-agents.js';

export const UI_SETTINGS_FILE = 'ui.json';
/** More than any real settings file; a larger one is not read. */
export const MAX_UI_SETTINGS_BYTES = 64 * 1024;
/** Longest filter kept (a filter typed by a person is far shorter). */
const MAX_FILTER = 1000;
const VERSION = 1;

export interface UiSettings {
  sort?: SortMode;
  columnSort?: ColumnSort | null;
  filterText?: string;
  verdictFilter?: VerdictFilter;
  detailOpen?: boolean;
  bell?: boolean;
}

/** The settings as they are now. */
export function settingsOf(state: UiState, bell: boolean): Required<UiSettings> {
  return {
    sort: state.sort,
    columnSort: state.columnSort,
    filterText: state.filterText,
    verdictFilter: state.verdictFilter,
    detailOpen: state.base === 'detail',
    bell,
  };
}

/** The file's text: stable key order, so an unchanged setting writes the same bytes. */
export function serializeSettings(s: Required<UiSettings>): string {
  return JSON.stringify({ version: VERSION, ...s }, null, 2) + '\n';
}

export type ParsedSettings = { settings: UiSettings; problems: string[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The settings a file holds. Not JSON, not an object, or another version: nothing, with
 * one problem. A value of the wrong kind is left out with a problem naming it; the others
 * are kept. Unknown keys are ignored (a newer version may add some).
 */
export function parseSettings(text: string, file: string): ParsedSettings {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { settings: {}, problems: [`${file}: not valid JSON; saved settings ignored`] };
  }
  if (!isRecord(doc))
    return { settings: {}, problems: [`${file}: expected a JSON object; saved settings ignored`] };
  if (doc['version'] !== VERSION)
    return { settings: {}, problems: [`${file}: expected "version": ${VERSION}; saved settings ignored`] };
  const settings: UiSettings = {};
  const problems: string[] = [];
  const bad = (key: string, expected: string) =>
    problems.push(`${file}: "${key}" ignored, expected ${expected}`);
  const { sort, columnSort, filterText, verdictFilter, detailOpen, bell } = doc;
  if (sort !== undefined) {
    if (SORT_MODES.includes(sort as SortMode)) settings.sort = sort as SortMode;
    else bad('sort', `one of ${SORT_MODES.join(', ')}`);
  }
  if (columnSort !== undefined) {
    if (columnSort === null) settings.columnSort = null;
    else if (
      isRecord(columnSort) &&
      typeof columnSort['column'] === 'string' &&
      columnSort['column'] !== '' &&
      columnSort['column'].length <= 200 &&
      typeof columnSort['reverse'] === 'boolean'
    )
      settings.columnSort = { column: columnSort['column'], reverse: columnSort['reverse'] };
    else bad('columnSort', 'null or { "column": text, "reverse": true/false }');
  }
  if (filterText !== undefined) {
    if (
      typeof filterText === 'string' &&
      filterText.length <= MAX_FILTER &&
      !/[\u0000-\u001f\u007f-\u009f]/.test(filterText)
    )
      settings.filterText = filterText;
    else bad('filterText', `text of at most ${MAX_FILTER} printable characters`);
  }
  if (verdictFilter !== undefined) {
    if (VERDICT_FILTERS.includes(verdictFilter as VerdictFilter))
      settings.verdictFilter = verdictFilter as VerdictFilter;
    else bad('verdictFilter', `one of ${VERDICT_FILTERS.join(', ')}`);
  }
  if (detailOpen !== undefined) {
    if (typeof detailOpen === 'boolean') settings.detailOpen = detailOpen;
    else bad('detailOpen', 'true or false');
  }
  if (bell !== undefined) {
    if (typeof bell === 'boolean') settings.bell = bell;
    else bad('bell', 'true or false');
  }
  return { settings, problems };
}

/** The state with the saved settings applied (a saved column that no longer exists simply sorts nothing differently). */
export function applySettings(state: UiState, s: UiSettings): UiState {
  const detail = s.detailOpen === true;
  return {
    ...state,
    ...(s.sort !== undefined ? { sort: s.sort } : {}),
    ...(s.columnSort !== undefined ? { columnSort: s.columnSort } : {}),
    ...(s.filterText !== undefined ? { filterText: s.filterText } : {}),
    ...(s.verdictFilter !== undefined ? { verdictFilter: s.verdictFilter } : {}),
    ...(s.detailOpen !== undefined
      ? { base: detail ? 'detail' : 'normal', mode: detail ? 'detail' : 'normal' }
      : {}),
  };
}
