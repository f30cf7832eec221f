import { UsageError } from '../errors.js';
import { pause } from './_http.js';

/** Which Paxos limit a request counts against. */
export type EndpointClass = 'identity' | 'token' | 'default';

/** Requests per second for each endpoint class; `Infinity` means no limit. */
export interface RateLimits {
  /** `/identity/...` (identities, accounts). */
  identity: number;
  /** The OAuth token endpoint. */
  token: number;
  /** Every other API path. */
  default: number;
}

/** The Paxos limits per IP: a 429 throttles the whole IP for 5 minutes, so paxflow keeps below them. */
export const PAXOS_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({ identity: 10, token: 1, default: 50 });

export const UNLIMITED: Readonly<RateLimits> = Object.freeze({ identity: Infinity, token: Infinity, default: Infinity });

/** Spaces requests so that no class ever sends more than its rate in any one-second window. */
export interface RateLimiter {
  readonly limits: Readonly<RateLimits>;
  /**
   * Waits for the next free slot of `kind`, in the order callers asked (first come, first served).
   * Resolves `false` as soon as `signal` aborts: the caller must not send; its slot stays unused.
   */
  acquire(kind: EndpointClass, signal?: AbortSignal): Promise<boolean>;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Missing classes take the Paxos limits. @default PAXOS_RATE_LIMITS */
  limits?: Partial<RateLimits>;
  /** Milliseconds, monotonic. @default performance.now */
  now?: () => number;
  /** Waits `ms` or until the signal aborts (then `false`). Tests replace it along with `now`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<boolean>;
}

const CLASSES: readonly EndpointClass[] = ['identity', 'token', 'default'];

/**
 * A limiter by reservation (GCRA with no burst): each request of a class takes the slot `1000 / rate` ms
 * after the previous one, or now if that has passed. Requests therefore go out evenly spaced, and any
 * window of one second holds at most `rate` of them; a caller that gives up leaves a gap, never a burst.
 */
export const createRateLimiter = (options: RateLimiterOptions = {}): RateLimiter => {
  const { now = () => performance.now(), sleep = pause } = options;
  const limits: RateLimits = { ...PAXOS_RATE_LIMITS, ...options.limits };
  for (const kind of CLASSES) {
    if (!(limits[kind] > 0)) throw new RangeError(`rate limit ${kind} must be more than 0 requests per second`);
  }
  const next: Record<EndpointClass, number> = { identity: -Infinity, token: -Infinity, default: -Infinity };
  return {
    limits: Object.freeze({ ...limits }),
    async acquire(kind, signal) {
      if (signal?.aborted) return false;
      const rate = limits[kind];
      if (rate === Infinity) return true;
      const current = now();
      const slot = Math.max(current, next[kind]);
      next[kind] = slot + 1000 / rate;
      const wait = slot - current;
      return wait <= 0 ? true : sleep(wait, signal);
    },
  };
};

/** The class of an API path below `/v2` (`/identity/identities`, `profiles/1/orders`). */
export const endpointClass = (path: string): EndpointClass => (/^\/*identity(\/|$)/.test(path) ? 'identity' : 'default');

const limiters = new Map<string, RateLimiter>();

/**
 * The limiter of this process for one API origin and set of limits: every client of the process that
 * talks to that origin with those limits shares it, as Paxos counts per IP.
 */
export const sharedRateLimiter = (origin: string, limits: Partial<RateLimits> = {}): RateLimiter => {
  const resolved = { ...PAXOS_RATE_LIMITS, ...limits };
  const key = JSON.stringify([origin, CLASSES.map((kind) => String(resolved[kind]))]);
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = createRateLimiter({ limits: resolved });
    limiters.set(key, limiter);
  }
  return limiter;
};

/**
 * Parses `--rate-limit`: `paxos` (the Paxos limits), `off`, or `CLASS=N` pairs joined by commas
 * (`identity=5,default=20`; classes not named keep the Paxos limit; N in requests per second, `off` for none).
 */
export const parseRateLimits = (spec: string): RateLimits => {
  const text = spec.trim();
  if (text === 'off') return { ...UNLIMITED };
  if (text === 'paxos') return { ...PAXOS_RATE_LIMITS };
  const limits: RateLimits = { ...PAXOS_RATE_LIMITS };
  for (const part of text.split(',')) {
    const match = /^\s*(identity|token|default)\s*=\s*(off|\d+(?:\.\d+)?)\s*$/.exec(part);
    const value = match?.[2] === 'off' ? Infinity : Number(match?.[2]);
    if (!match || !(value > 0)) {
      throw new UsageError('BAD_ARGUMENTS', '--rate-limit takes paxos, off, or CLASS=N pairs such as identity=10,token=1,default=50 (requests per second, more than 0)');
    }
    limits[match[1] as EndpointClass] = value;
  }
  return limits;
};
