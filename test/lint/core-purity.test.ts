// The lint rule that keeps src/core pure (docs/DESIGN.md, "Architecture"): each forbidden
// kind of import or clock read is reported when it appears under src/core, and the same
// code elsewhere is left alone. Runs the project's real ESLint config.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import * as path from 'node:path';

const cwd = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd });

async function ruleIds(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(cwd, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('src/core purity rule', () => {
  const forbidden: Array<[string, string, string]> = [
    ["import * as fs from 'node:fs';\nexport const x = fs;\n", 'no-restricted-imports', 'a node: module'],
    [
      "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n",
      'no-restricted-imports',
      'fs without node:',
    ],
    [
      "import { Engine } from '../shell/engine.js';\nexport type X = Engine;\n",
      'no-restricted-imports',
      'the shell',
    ],
    ["import { App } from '../ui/App.js';\nexport const x = App;\n", 'no-restricted-imports', 'the UI'],
    ["import { main } from '../cli/main.js';\nexport const x = main;\n", 'no-restricted-imports', 'the CLI'],
    ["import { render } from 'ink';\nexport const x = render;\n", 'no-restricted-imports', 'Ink'],
    ['export const t = (): number => Date.now();\n', 'no-restricted-properties', 'Date.now()'],
    ['export const t = (): Date => new Date();\n', 'no-restricted-syntax', 'new Date()'],
    ['export const t = (): string => process.cwd();\n', 'no-restricted-globals', 'process'],
  ];
  for (const [code, rule, what] of forbidden) {
    it(`reports ${what} in src/core and not in src/shell`, async () => {
      expect(await ruleIds(code, 'src/core/purity-probe.ts')).toContain(rule);
      expect(await ruleIds(code, 'src/shell/purity-probe.ts')).not.toContain(rule);
    });
  }

  it('accepts what the core may do: imports of its own modules, a clock passed in', async () => {
    const code =
      "import { formatIso } from './time.js';\nexport const at = (now: number): string => formatIso(new Date(now));\n";
    expect(await ruleIds(code, 'src/core/purity-probe.ts')).toEqual([]);
  });
});
