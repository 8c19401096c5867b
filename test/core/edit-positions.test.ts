// Edit refusals name the place as the parser does (src/core/read/parse.ts header: 1-based,
// code points, CR, LF and CRLF each one break), so a refusal and a diagnostic agree.
import { describe, expect, it } from 'vitest';
import { editDocument } from '../../src/core/write/edit.js';
import { parseDocument } from '../../src/core/read/parse.js';
import type { DataFormat } from '../../src/core/types.js';

function refusedAt(text: string, format: DataFormat): { line: number; column: number } {
  const r = editDocument(text, format, [{ path: ['status'], after: 'idle' }]);
  expect(r.ok).toBe(false);
  const m = /at line (\d+), column (\d+)/.exec(r.ok ? '' : r.message);
  expect(m, r.ok ? 'edited' : r.message).not.toBeNull();
  return { line: Number(m![1]), column: Number(m![2]) };
}

function parserAt(text: string, format: DataFormat): { line: number; column: number } {
  const first = parseDocument(text, format).diagnostics.find((d) => d.severity === 'error');
  expect(first).toBeDefined();
  return { line: first!.line!, column: first!.column! };
}

describe('edit refusals: positions as the parser counts them', () => {
  const cases: [string, DataFormat, string][] = [
    ['JSON: a tab, an emoji and CJK before the error', 'json', '{\n\t"name": "😀日本", 😀\n}\n'],
    ['JSON: lone CR line breaks', 'json', '{\r"status": "x",\r "b": 😀 }'],
    ['JSON: CRLF and an emoji', 'json', '{\r\n  "😀": 1, ]\r\n}'],
    ['YAML: an emoji before the error on its line', 'yaml', 'status: idle\nname: "😀😀" ]\n'],
  ];
  for (const [name, format, text] of cases) {
    it(name, () => {
      expect(refusedAt(text, format)).toEqual(parserAt(text, format));
    });
  }

  it('counts an emoji as one column', () => {
    expect(refusedAt('{"😀": 1, ]}', 'json')).toEqual({ line: 1, column: 10 });
  });
});
