// Connecting to NATS for a source held in a JetStream key-value bucket (README.md
// "Several hosts"). Secrets come from a creds file, a file or the environment, never the
// command line, and never reach a message, a snapshot or the journal.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import type { SourceSpec, StoreSpec } from '../../core/types.js';
import { UsageError } from '../probe.js';

/** A source's store cannot be reached or opened: one line, exit 2 (README.md "Exit codes"). */
export class StoreError extends UsageError {}

function readSecretFile(root: string, file: string, what: string, source: string): string {
  try {
    return fs.readFileSync(path.resolve(root, file), 'utf8').trim();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new StoreError(`source ${source}: ${what} file ${file} cannot be read (${code})`);
  }
}

function fromEnv(name: string, what: string, source: string): string {
  const v = process.env[name];
  if (v === undefined || v === '')
    throw new StoreError(`source ${source}: ${what} variable ${name} is not set`);
  return v;
}

/** The client's options for a store; reads the creds, token or password it names. */
export function connectionOptions(root: string, source: string, store: StoreSpec): ConnectionOptions {
  const opts: ConnectionOptions = {
    servers: store.servers,
    name: `sync-tui ${source}`,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    timeout: 3000,
    // Nothing the client would print goes to our terminal.
    debug: false,
  };
  if (store.creds !== undefined)
    opts.authenticator = credsAuthenticator(
      new TextEncoder().encode(readSecretFile(root, store.creds, 'creds', source)),
    );
  if (store.tokenEnv !== undefined) opts.token = fromEnv(store.tokenEnv, 'token', source);
  if (store.tokenFile !== undefined) opts.token = readSecretFile(root, store.tokenFile, 'token', source);
  if (store.user !== undefined || store.userEnv !== undefined) {
    opts.user = store.user ?? fromEnv(store.userEnv!, 'user', source);
    opts.pass =
      store.passwordEnv !== undefined
        ? fromEnv(store.passwordEnv, 'password', source)
        : readSecretFile(root, store.passwordFile!, 'password', source);
  }
  if (store.tlsCa !== undefined) {
    const ca = path.resolve(root, store.tlsCa);
    if (!fs.existsSync(ca)) throw new StoreError(`source ${source}: TLS CA file ${store.tlsCa} not found`);
    opts.tls = { caFile: ca };
  }
  return opts;
}

/** One line about why a connection or a bucket failed, with no secret in it. */
export function describeStoreError(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string } | null)?.code;
  if (/authorization|authentication|auth/i.test(text))
    return 'authorization failed (check the token, user/password or creds)';
  if (code === 'CONNECTION_REFUSED' || /ECONNREFUSED|connection refused/i.test(text))
    return 'connection refused';
  if (/timeout/i.test(text)) return 'timed out';
  return text.split('\n')[0]!.slice(0, 200);
}

export interface OpenStore {
  nc: NatsConnection;
  kv: KV;
}

/** Connect and open the source's bucket (created when `create: true`). */
export async function openStore(root: string, spec: SourceSpec): Promise<OpenStore> {
  const store = spec.store!;
  const where = `source ${spec.name}: nats ${store.servers.join(',')}`;
  let nc: NatsConnection;
  try {
    nc = await connect(connectionOptions(root, spec.name, store));
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new StoreError(`${where}: ${describeStoreError(e)}`);
  }
  try {
    const kvm = new Kvm(jetstream(nc, { timeout: 5000 }));
    const kv = store.create
      ? await kvm.create(store.bucket, { replicas: store.replicas, history: store.history })
      : await kvm.open(store.bucket);
    // `open` is lazy: ask the bucket once so a missing one is said here.
    await kv.status();
    return { nc, kv };
  } catch (e) {
    await nc.close().catch(() => undefined);
    const text = describeStoreError(e);
    throw new StoreError(
      `${where}: bucket ${store.bucket}: ${/not found/i.test(text) ? 'not found (set nats.create: true to create it)' : text}`,
    );
  }
}
