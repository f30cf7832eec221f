import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { Problem } from './http-types.js';

/** Every fault the emulator can inject, as written in a fault spec. */
export const FAULT_KINDS = [
  '500',
  '502',
  '503',
  '504',
  '429',
  'reset',
  'latency',
  'commit-then-reset',
  'commit-then-500',
  'commit-then-502',
  'commit-then-503',
  'commit-then-504',
  'commit-then-timeout',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** One `KIND:PROBABILITY[@PARAM]` entry of a fault spec. */
export interface FaultRule {
  kind: FaultKind;
  /** Chance per request, from 0 to 1. */
  probability: number;
  /** `latency`: the delay; `429`: the `Retry-After`; `commit-then-timeout`: how long the answer is held. */
  ms: number;
}

/** Which requests faults apply to. */
export interface FaultScope {
  /** Upper-case HTTP methods. @default every method */
  methods?: readonly string[];
  /** Path prefixes. @default ['/v2/'] (the token endpoint is exempt) */
  paths?: readonly string[];
}

/** What a running emulator reports about its faults. */
export interface SandboxFaults {
  /** The spec in force, `''` for none. */
  readonly spec: string;
  /** Seed of the roll, restarted by every `setFaults`. */
  readonly seed: number;
  /** Faults injected per kind since the server started (every kind is present, most at 0). */
  readonly counts: Readonly<Record<FaultKind, number>>;
  /** Requests that were in scope while a spec was in force (the denominator of the counts). */
  readonly requests: number;
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/** Node timers fire at once when given more than this. */
const MAX_TIMER_MS = 2_147_483_647;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** What each kind's `@PARAM` means: its default in ms, or `undefined` when the kind takes none. */
const PARAM_DEFAULT_MS: Partial<Record<FaultKind, number>> = { '429': 1000, latency: 1000, 'commit-then-timeout': 30_000 };

const isCommitKind = (kind: FaultKind): boolean => kind.startsWith('commit-then-');

/** The status a kind answers with (`500`, `commit-then-503`, `429`). */
const statusOf = (kind: FaultKind): number => Number(kind.slice(-3));

/** The request's path as the router sees it; `undefined` for a target the router would refuse too. */
const pathOf = (url: string | undefined): string | undefined => {
  try {
    return new URL(url ?? '/', 'http://sandbox.invalid').pathname;
  } catch {
    return undefined;
  }
};

const specError = (part: string, reason: string) => new RangeError(`invalid fault '${part}': ${reason}`);

const parseDuration = (part: string, text: string): number => {
  const match = /^(\d+)(ms|s|m)$/.exec(text);
  if (!match) throw specError(part, `'@${text}' is not a duration; write e.g. @1500ms, @2s or @1m`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (ms > MAX_TIMER_MS) throw specError(part, `'@${text}' is too long`);
  return ms;
};

const parseRule = (part: string): FaultRule => {
  const match = /^([a-z0-9-]+):([^@]*)(?:@(.*))?$/.exec(part);
  if (!match) throw specError(part, 'write KIND:PROBABILITY or KIND:PROBABILITY@PARAM, e.g. 503:0.05');
  const [, name, chance, param] = match as unknown as [string, string, string, string | undefined];
  if (!(FAULT_KINDS as readonly string[]).includes(name)) throw specError(part, `unknown kind '${name}'; kinds are ${FAULT_KINDS.join(', ')}`);
  const kind = name as FaultKind;
  const probability = Number(chance);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(chance) || probability > 1) throw specError(part, 'the probability must be a decimal from 0 to 1');
  const defaultMs = PARAM_DEFAULT_MS[kind];
  if (param !== undefined && defaultMs === undefined) throw specError(part, `'${kind}' takes no @ parameter`);
  const ms = param === undefined ? (defaultMs ?? 0) : parseDuration(part, param);
  if (kind === '429' && ms % 1000 !== 0) throw specError(part, 'Retry-After is whole seconds, e.g. @2s');
  return { kind, probability, ms };
};

/**
 * Parses a fault spec: comma-separated `KIND:PROBABILITY[@PARAM]` entries, e.g.
 * `500:0.05,429:0.03@2s,reset:0.02,latency:0.05@1500ms,commit-then-reset:0.03`. `''` means no faults.
 * Throws a `RangeError` naming the bad entry; the probabilities of the kinds other than `latency`
 * may add up to at most 1, since one roll picks at most one of them.
 */
export function parseFaultSpec(spec: string): FaultRule[] {
  if (typeof spec !== 'string') throw new TypeError('a fault spec must be a string');
  if (spec.trim() === '') return [];
  const rules = spec.split(',').map((raw, index) => {
    const part = raw.trim();
    if (part === '') throw new RangeError(`invalid fault spec: entry ${index + 1} is empty`);
    return parseRule(part);
  });
  const total = rules.filter((rule) => rule.kind !== 'latency').reduce((sum, rule) => sum + rule.probability, 0);
  if (total > 1 + 1e-9) throw new RangeError(`invalid fault spec: the probabilities of the faults other than latency add up to ${+total.toFixed(6)}, more than 1`);
  return rules;
}

/** A 32-bit xorshift generator; the seed (any finite number) is hashed first so near seeds diverge. */
export function seededRandom(seed: number): () => number {
  let x = 0x811c9dc5;
  for (const char of String(seed)) x = Math.imul(x ^ char.charCodeAt(0), 0x01000193) >>> 0;
  if (x === 0) x = 0x9e3779b9;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
  for (let i = 0; i < 8; i += 1) next();
  return next;
}

interface Decision {
  fault: FaultRule | undefined;
  delayMs: number;
}

const answerProblem = (response: ServerResponse, status: number, headers: Record<string, string> = {}): void => {
  const problem = new Problem(status, STATUS_CODES[status] ?? 'Error', 'injected by the sandbox emulator (fault injection)');
  const payload = JSON.stringify(problem.toJSON());
  response.writeHead(status, {
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(payload);
};

/**
 * Lets `listener` process the request but keeps its answer from the client: `onAnswered` runs instead,
 * with the response's own methods back in place.
 */
const swallowAnswer = (response: ServerResponse, onAnswered: () => void): void => {
  const { writeHead, end } = response;
  response.writeHead = function swallowedWriteHead(this: ServerResponse) {
    return this;
  } as typeof writeHead;
  response.end = function swallowedEnd(this: ServerResponse) {
    response.writeHead = writeHead;
    response.end = end;
    onAnswered();
    return this;
  } as typeof end;
};

/**
 * Seeded fault injection for one emulator. Each request in scope draws one number that picks at most
 * one fault (the non-latency entries, in spec order), then one number per `latency` entry; a latency
 * delays whatever follows, the picked fault included.
 */
export class FaultInjector implements SandboxFaults {
  readonly #timers: Set<NodeJS.Timeout>;
  readonly counts: Record<FaultKind, number> = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  #spec = '';
  #seed: number;
  #rules: FaultRule[] = [];
  #random: () => number;
  #methods: ReadonlySet<string> | undefined;
  #paths: readonly string[] = ['/v2/'];
  #requests = 0;

  /** `timers` is the emulator's set, cleared by `close()`, so held answers never outlive the server. */
  constructor(timers: Set<NodeJS.Timeout>, spec: string, seed: number, scope: FaultScope = {}) {
    this.#timers = timers;
    this.#seed = seed;
    this.#random = seededRandom(seed);
    this.set(spec, scope, seed);
  }

  get spec(): string {
    return this.#spec;
  }

  get seed(): number {
    return this.#seed;
  }

  get requests(): number {
    return this.#requests;
  }

  /** Replaces the spec (and the scope parts given) and restarts the roll from `seed`. Throws on a bad spec, changing nothing. */
  set(spec: string, scope: FaultScope = {}, seed = this.#seed): void {
    const rules = parseFaultSpec(spec);
    if (!Number.isFinite(seed)) throw new RangeError('the fault seed must be a finite number');
    if (scope.methods?.some((method) => typeof method !== 'string' || method === '')) throw new TypeError('fault methods must be HTTP method names');
    const methods = scope.methods?.map((method) => method.toUpperCase());
    if (scope.paths?.some((path) => typeof path !== 'string' || !path.startsWith('/'))) throw new RangeError('fault paths must be path prefixes starting with /');
    this.#spec = spec.trim();
    this.#rules = rules;
    this.#seed = seed;
    this.#random = seededRandom(seed);
    if (methods) this.#methods = new Set(methods);
    if (scope.paths) this.#paths = [...scope.paths];
  }

  /** Wraps the server's request listener with the faults. */
  wrap(listener: Listener): Listener {
    return (request, response) => {
      const decision = this.#roll(request);
      if (decision === undefined) return listener(request, response);
      this.#apply(decision, request, response, listener).catch(() => request.socket.destroy());
    };
  }

  #roll(request: IncomingMessage): Decision | undefined {
    if (this.#rules.length === 0) return undefined;
    const method = request.method ?? 'GET';
    if (this.#methods && !this.#methods.has(method)) return undefined;
    const path = pathOf(request.url);
    if (path === undefined || !this.#paths.some((prefix) => path.startsWith(prefix))) return undefined;
    this.#requests += 1;
    const pick = this.#random();
    let delayMs = 0;
    let fault: FaultRule | undefined;
    let edge = 0;
    for (const rule of this.#rules) {
      if (rule.kind === 'latency') {
        if (this.#random() < rule.probability) delayMs += rule.ms;
      } else if (fault === undefined && pick < (edge += rule.probability)) {
        fault = rule;
      }
    }
    // Reads have nothing to commit: the roll that picked commit-then-* on a GET leaves it untouched.
    if (fault && isCommitKind(fault.kind) && !WRITE_METHODS.has(method)) fault = undefined;
    return fault === undefined && delayMs === 0 ? undefined : { fault, delayMs };
  }

  async #apply({ fault, delayMs }: Decision, request: IncomingMessage, response: ServerResponse, listener: Listener): Promise<void> {
    if (delayMs > 0) {
      this.counts.latency += 1;
      await this.#sleep(delayMs);
      // A client that gave up during the delay: its request is dropped, never processed.
      if (request.socket.destroyed) return;
    }
    if (fault === undefined) return listener(request, response);
    this.counts[fault.kind] += 1;
    if (fault.kind === 'reset') {
      request.socket.destroy();
    } else if (!isCommitKind(fault.kind)) {
      request.resume();
      answerProblem(response, statusOf(fault.kind), fault.kind === '429' ? { 'retry-after': String(fault.ms / 1000) } : {});
    } else {
      swallowAnswer(response, () => {
        if (fault.kind === 'commit-then-reset') request.socket.destroy();
        else if (fault.kind === 'commit-then-timeout') this.#hold(request, fault.ms);
        else answerProblem(response, statusOf(fault.kind));
      });
      listener(request, response);
    }
  }

  /** Sends nothing for `ms`, then drops the connection; a close or the client leaving ends it sooner. */
  #hold(request: IncomingMessage, ms: number): void {
    const socket = request.socket;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      socket.destroy();
    }, ms);
    this.#timers.add(timer);
    socket.once('close', () => {
      clearTimeout(timer);
      this.#timers.delete(timer);
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }
}
