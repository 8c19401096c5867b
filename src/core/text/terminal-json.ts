// JSON and diagnostic messages made safe to print to a terminal.

/**
 * Characters that `JSON.stringify` leaves raw although a terminal acts on them or hides
 * them: DEL and C1 controls (U+009B is CSI to many terminals), bidi and zero-width
 * controls, line and paragraph separators, tag characters (U+E0000–U+E007F, as surrogate
 * pairs). C0 controls are already escaped by `JSON.stringify`.
 */
const JSON_UNSAFE =
  /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;

function unicodeEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Escapes, in JSON text, every character a terminal would act on or hide, as `\uXXXX`.
 * Outside strings JSON holds only ASCII, so this changes string contents only, and
 * `JSON.parse` gives back exactly the same values.
 */
export function escapeJsonText(json: string): string {
  return json.replace(JSON_UNSAFE, unicodeEscape);
}

/** `JSON.stringify`, safe to print to a terminal (see escapeJsonText). */
export function stringifyForTerminal(value: unknown, indent?: number): string {
  return escapeJsonText(JSON.stringify(value, null, indent));
}

// ---------------------------------------------------------------------------------------
// Messages

/**
 * Control, line-break and bidi characters made visible as `\u001b` escapes, the rest kept
 * as it is: for diagnostic messages that quote what a file holds (Diagnostic's contract:
 * safe to print). Unlike sanitizeText it keeps the message's length and wide characters.
 */
export function inert(message: string): string {
  return message.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
