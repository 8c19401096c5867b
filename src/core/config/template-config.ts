// The config `init --force` writes when no layout is detected (README.md "Zero config"). Pure.
import { defaultFields, defaultPolicy } from './defaults.js';
import { DEFAULT_STATE_DIR } from './config.js';
import { enumFields, eventLogSpec, registrySpec, statusFilesSpec } from './source-specs.js';
import type { Config } from '../types.js';

/** The layout name configYaml treats as "nothing was detected: placeholders to edit". */
export const TEMPLATE_LAYOUT = 'template';

/**
 * What `init --force` writes when no layout is detected: the generic layout with
 * placeholder paths (agents/{agent}/status.json, registry.yaml, events.jsonl).
 */
export function templateConfig(): Config {
  const sources = [
    statusFilesSpec('agents/{agent}/status.json'),
    registrySpec(
      'registry.yaml',
      enumFields({ status: ['agents.{agent}.status'], fsm: ['agents.{agent}.fsm'] }),
      ['agents.{agent}.last_seen', 'last_updated'],
    ),
    eventLogSpec('events.jsonl'),
  ];
  return {
    origin: 'template',
    fields: defaultFields(),
    sources,
    policy: defaultPolicy('display'),
    timezone: 'local',
    stateDir: DEFAULT_STATE_DIR,
  };
}
