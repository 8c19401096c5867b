// The `store:` / `nats:` part of a source in sync-tui.config.yaml (README.md "Several hosts"):
// a source held in a key-value store, one key per agent. Only where secrets are found is
// read here (an environment variable's name or a file), never a secret itself.
import { isScalar, type Node as YamlNode } from 'yaml';
import { splitKeyPattern } from '../key-token.js';
import type { StoreSpec } from '../types.js';

export const STORE_KEYS = [
  'servers',
  'bucket',
  'key',
  'creds',
  'token_env',
  'token_file',
  'user',
  'user_env',
  'password_env',
  'password_file',
  'tls_ca',
  'create',
  'replicas',
  'history',
];
export const STORE_ENGINES = ['nats'];

/**
 * What config-checker.ts's Checker offers the readers of a config section (store, keys,
 * theme): kept structural, so that they do not import it.
 */
export interface SectionChecker {
  error(node: YamlNode | null | undefined, message: string): void;
  entries(
    node: unknown,
    where: string,
    allowed: readonly string[] | null,
  ): [string, YamlNode | null, YamlNode][];
}

/** The Checker as the store and journal readers use it: also its scalar readers. */
export interface StoreChecker extends SectionChecker {
  string(node: YamlNode | null, where: string): string | null;
  strings(node: YamlNode | null, where: string): string[] | null;
  boolean(node: YamlNode | null, where: string): boolean | null;
}

const BUCKET = /^[A-Za-z0-9_-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function whole(
  check: StoreChecker,
  node: YamlNode | null,
  where: string,
  min: number,
  max: number,
): number | null {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  check.error(node, `${where}: expected a whole number from ${min} to ${max}`);
  return null;
}

/** Read `store: nats` and its `nats:` block; null (with errors reported) when unusable. */
export function readStore(
  check: StoreChecker,
  where: string,
  storeNode: YamlNode | null,
  blockNode: YamlNode | null,
  anchor: YamlNode | null,
): StoreSpec | null {
  const engine = storeNode ? check.string(storeNode, `${where}.store`) : 'nats';
  if (engine === null) return null;
  if (!STORE_ENGINES.includes(engine)) {
    check.error(storeNode, `${where}.store: expected one of ${STORE_ENGINES.join(', ')}, found '${engine}'`);
    return null;
  }
  if (!blockNode) {
    check.error(storeNode ?? anchor, `${where}: missing 'nats' (servers, bucket, key)`);
    return null;
  }
  const entries = check.entries(blockNode, `${where}.nats`, STORE_KEYS);
  const get = (k: string) => entries.find((e) => e[0] === k);
  const text = (k: string): string | undefined => {
    const e = get(k);
    return e ? (check.string(e[1], `${where}.nats.${k}`) ?? undefined) : undefined;
  };
  const serversEntry = get('servers');
  const servers = serversEntry ? (check.strings(serversEntry[1], `${where}.nats.servers`) ?? []) : [];
  if (!serversEntry) check.error(blockNode, `${where}.nats: missing 'servers', e.g. nats://127.0.0.1:4222`);
  for (const s of servers) {
    if (!/^(nats|tls):\/\/[^\s/]+$|^[^\s/:]+:\d+$/.test(s))
      check.error(serversEntry![1], `${where}.nats.servers: expected nats://host:port, found '${s}'`);
  }
  const bucket = text('bucket');
  if (!get('bucket')) check.error(blockNode, `${where}.nats: missing 'bucket'`);
  else if (bucket !== undefined && !BUCKET.test(bucket))
    check.error(
      get('bucket')![1],
      `${where}.nats.bucket: expected letters, digits, _ or -, found '${bucket}'`,
    );
  const key = text('key') ?? '{agent}';
  if (splitKeyPattern(key) === null)
    check.error(
      get('key')?.[1] ?? blockNode,
      `${where}.nats.key: expected {agent} as one whole token, e.g. agents.{agent}`,
    );
  const spec: StoreSpec = {
    engine: 'nats',
    servers,
    bucket: bucket ?? '',
    key,
    create: false,
    replicas: 1,
    history: 10,
  };
  for (const [k, field] of [
    ['creds', 'creds'],
    ['token_file', 'tokenFile'],
    ['password_file', 'passwordFile'],
    ['tls_ca', 'tlsCa'],
    ['user', 'user'],
  ] as const) {
    const v = text(k);
    if (v !== undefined) spec[field] = v;
  }
  for (const [k, field] of [
    ['token_env', 'tokenEnv'],
    ['user_env', 'userEnv'],
    ['password_env', 'passwordEnv'],
  ] as const) {
    const v = text(k);
    if (v === undefined) continue;
    if (!ENV_NAME.test(v))
      check.error(
        get(k)![1],
        `${where}.nats.${k}: expected the name of an environment variable, not its value`,
      );
    else spec[field] = v;
  }
  if ((spec.tokenEnv || spec.tokenFile) && (spec.user || spec.userEnv || spec.creds))
    check.error(blockNode, `${where}.nats: a token, a user/password and a creds file exclude each other`);
  if ((spec.user || spec.userEnv) && !(spec.passwordEnv || spec.passwordFile))
    check.error(blockNode, `${where}.nats: a user needs password_env or password_file`);
  const createEntry = get('create');
  if (createEntry) spec.create = check.boolean(createEntry[1], `${where}.nats.create`) ?? false;
  const replicasEntry = get('replicas');
  if (replicasEntry) spec.replicas = whole(check, replicasEntry[1], `${where}.nats.replicas`, 1, 5) ?? 1;
  const historyEntry = get('history');
  if (historyEntry) spec.history = whole(check, historyEntry[1], `${where}.nats.history`, 1, 64) ?? 10;
  return spec;
}

/**
 * `journal: { stream: NAME }` (README.md "Several hosts"): the journal in a JetStream stream
 * on the policy target's store, so `log` and `undo` work from every host. Returns the stream
 * name, or null (with an error said) when the option is wrong.
 */
export function readJournalOption(check: StoreChecker, node: YamlNode | null): string | null {
  let stream: string | null = null;
  let named = false;
  for (const [key, value] of check.entries(node, 'journal', ['stream'])) {
    if (key !== 'stream') continue;
    named = true;
    const s = check.string(value, 'journal.stream');
    if (s !== null && !BUCKET.test(s))
      check.error(value, `journal.stream: '${s}' may only hold letters, digits, '-' and '_'`);
    else stream = s;
  }
  if (!named) check.error(node, 'journal: expected { stream: NAME } (a JetStream stream)');
  return stream;
}
