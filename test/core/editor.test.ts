// The edit key's choices (src/core/tui/editor.ts): which editor, its arguments per editor
// family, and which file of an agent to open, from a real reconciliation.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { editorArgs, editorCommand, editTarget } from '../../src/core/tui/editor.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

describe('editor arguments', () => {
  it('choose $VISUAL, then $EDITOR, then vi', () => {
    expect(editorCommand({ VISUAL: 'nvim', EDITOR: 'nano' })).toBe('nvim');
    expect(editorCommand({ VISUAL: ' ', EDITOR: 'nano' })).toBe('nano');
    expect(editorCommand({})).toBe('vi');
  });

  it('give +LINE FILE to vi-like editors, -g FILE:LINE to code, FILE:LINE to subl, the file alone otherwise', () => {
    expect(editorArgs('/usr/bin/vim', '/w/a.json', 12)).toEqual(['+12', '/w/a.json']);
    expect(editorArgs('emacs -nw', '/w/a.json', 3)).toEqual(['+3', '/w/a.json']);
    expect(editorArgs('nano', '/w/a.json', 3)).toEqual(['+3', '/w/a.json']);
    expect(editorArgs('code -w', '/w/a.json', 7)).toEqual(['-g', '/w/a.json:7']);
    expect(editorArgs('subl', '/w/a.json', 7)).toEqual(['/w/a.json:7']);
    expect(editorArgs('my-editor', '/w/a.json', 7)).toEqual(['/w/a.json']);
    expect(editorArgs('vim', '/w/a.json', null)).toEqual(['/w/a.json']);
  });
});

describe('editTarget', () => {
  const NOW = T0 + 5 * MIN;
  const at = '2026-03-02T09:04:00Z';
  const recon = reconcile(
    incidentReads(
      { 'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at }, 'Agent-9': 'bad' },
      {
        onboarded: { 'Agent-2': true, 'Agent-9': true },
        fsm: { 'Agent-2': 'uninitialized', 'Agent-9': 'idle' },
      },
    ),
    incidentConfig(),
    NOW,
  );
  const agent = (id: string) => recon.agents.find((a) => a.id === id)!;

  it("opens the file of the agent's worst diagnostic at its line", () => {
    const t = editTarget(agent('Agent-9'), incidentConfig())!;
    const d = agent('Agent-9').observations['file']!.diagnostics.find((x) => x.file)!;
    expect(t).toMatchObject({ file: d.file, line: d.line ?? null });
    expect(t.why).toContain('file:');
  });

  it('else the file of the source that differs', () => {
    const t = editTarget(agent('Agent-2'), incidentConfig())!;
    expect(t.line).toBeNull();
    expect(t.why).toBe('display differs on fsm');
    expect(t.file).toBe(agent('Agent-2').observations['display']!.file);
  });
});
