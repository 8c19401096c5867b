// Built-in vocabularies, FSM rules and mappings, drawn from what real swarms write
// (see fixtures/ and docs/DESIGN.md). A config file can extend or replace every one of them.
import { buildVocabulary } from '../observe/vocab.js';
import type { FieldMapping, FieldSpec, FsmRules, Policy } from '../types.js';

/** status: canonical value -> aliases seen in the wild. */
export const STATUS_VALUES: Record<string, string[]> = {
  ONBOARDED: ['OPERATIONAL', 'COMPLETED', 'COMPLETE', 'ONBOARDING_COMPLETE'],
  ACTIVE: ['ACTIVE_AGENT_MODE', 'ACTIVE_MISSION', 'BUSY', 'WORKING', 'RUNNING'],
  READY: ['STANDBY_READY', 'STANDBY', 'AVAILABLE'],
  IDLE: [],
  ONBOARDING: ['IN_PROGRESS'],
  PENDING: ['NOT_STARTED', 'WAITING'],
  UNINITIALIZED: ['UNINITIALISED', 'NEW'],
  BLOCKED: [],
  ERROR: ['FAILED', 'FAILURE'],
  OFFLINE: ['INACTIVE', 'STOPPED', 'DISCONNECTED'],
};

/** fsm: canonical states -> aliases. */
export const FSM_VALUES: Record<string, string[]> = {
  UNINITIALIZED: ['UNINITIALISED', 'NEW'],
  ONBOARDING: [],
  ONBOARDED: [],
  IDLE: [],
  READY: ['STANDBY_READY', 'STANDBY'],
  ACTIVE: ['ACTIVE_AGENT_MODE', 'RUNNING'],
  TASK_EXECUTION: ['EXECUTING', 'WORKING'],
  BLOCKED: [],
  COMPLETED: ['DONE', 'COMPLETE'],
  ERROR: ['FAILED'],
  OFFLINE: ['STOPPED'],
};

const OPERATING = ['IDLE', 'READY', 'ACTIVE', 'TASK_EXECUTION', 'BLOCKED', 'COMPLETED', 'ERROR', 'OFFLINE'];

/**
 * Lifecycle first (UNINITIALIZED -> ONBOARDING -> ONBOARDED -> operating), then free movement
 * among the operating states. Nothing leads back into the lifecycle: an agent that is reset
 * is something an operator decides, not something a lagging registry catches up to.
 */
export const FSM_TRANSITIONS: Record<string, string[]> = {
  UNINITIALIZED: ['ONBOARDING'],
  ONBOARDING: ['ONBOARDED', 'IDLE', 'ERROR'],
  ONBOARDED: ['IDLE', 'READY', 'ACTIVE', 'TASK_EXECUTION', 'ERROR', 'OFFLINE'],
  ...Object.fromEntries(OPERATING.map((s) => [s, OPERATING.filter((t) => t !== s)])),
};

export function defaultFields(): FieldSpec[] {
  const fsm: FsmRules = { transitions: structuredClone(FSM_TRANSITIONS) };
  return [
    { name: 'status', vocabulary: buildVocabulary(STATUS_VALUES) },
    { name: 'fsm', vocabulary: buildVocabulary(FSM_VALUES), fsm },
  ];
}

/** Status values that a boolean "onboarded" flag holds as true / as false. */
export const ONBOARDED_TRUE = ['ONBOARDED', 'ACTIVE', 'READY', 'IDLE', 'BLOCKED', 'ERROR', 'OFFLINE'];
export const ONBOARDED_FALSE = ['PENDING', 'UNINITIALIZED', 'ONBOARDING'];

export function enumMapping(paths: string[], writeCase: FieldMapping['writeCase'] = 'as-is'): FieldMapping {
  return { paths, type: 'enum', writeCase, aliases: {} };
}

export function booleanMapping(
  paths: string[],
  trueValues = ONBOARDED_TRUE,
  falseValues = ONBOARDED_FALSE,
): FieldMapping {
  return {
    paths,
    type: 'boolean',
    trueValues: [...trueValues],
    falseValues: [...falseValues],
    writeCase: 'as-is',
    aliases: {},
  };
}

/** Where agents' own status files keep each field and their write time. */
export const STATUS_FILE_FIELDS = {
  status: ['status', 'onboarding_status', 'onboarding.status', 'state'],
  fsm: ['fsm_state.current_state', 'fsm_state', 'fsm.current_state', 'fsm', 'current_state'],
};
export const STATUS_FILE_UPDATED_AT = [
  'last_updated',
  'last_update',
  'updated_at',
  'last_seen',
  'last_checkin',
  'last_activity',
  'timestamp',
];
export const STATUS_FILE_ID = ['agent_id', 'id', 'agent'];

export const EVENT_FIELDS = { status: ['status'], fsm: ['fsm', 'fsm_state', 'state'] };
export const EVENT_UPDATED_AT = ['at', 'timestamp', 'time', 'ts'];
export const EVENT_ID = ['agent', 'agent_id', 'id'];

export const DEFAULT_STALE_MS = 15 * 60_000;

export function defaultPolicy(target: string): Policy {
  return { truth: { status: 'newest', fsm: 'newest' }, target, autoResolve: false };
}
