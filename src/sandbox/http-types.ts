import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxState } from './state.js';

/** A parsed request as a route handler sees it. */
export interface SandboxRequest {
  method: string;
  /** Path without the query string, e.g. `/v2/profiles/abc/orders`. */
  path: string;
  /** Values of `:name` segments in the route's path. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body (`undefined` when there is none). */
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Scopes granted to the bearer token; empty on public routes. */
  scopes: ReadonlySet<string>;
}

/** What a handler returns; the server serialises `body` as JSON with `status` (default 200). */
export interface SandboxReply {
  status?: number;
  body: unknown;
}

/**
 * One endpoint. `scopes` lists the scopes of which the token needs at least one ("required one of"),
 * or `'public'` for market data that needs no token.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path pattern with `:name` segments, e.g. `/v2/profiles/:profile_id/orders/:id`. */
  path: string;
  scopes: readonly string[] | 'public';
  handle(request: SandboxRequest, state: SandboxState): SandboxReply | Promise<SandboxReply>;
}

export const PROBLEM_BASE = 'https://developer.paxos.com/docs/v2/problems/';

/**
 * An RFC 7807 Problem, thrown by handlers and turned into an `application/problem+json` response.
 * `slug` is a Paxos problem type such as `insufficient-funds`; without one the type is `about:blank`.
 */
export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly meta: Record<string, unknown> | undefined;

  constructor(status: number, title: string, detail?: string, options: { slug?: string; meta?: Record<string, unknown> } = {}) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = options.slug ? PROBLEM_BASE + options.slug : 'about:blank';
    this.meta = options.meta;
  }

  toJSON(): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(this.meta === undefined ? {} : { meta: this.meta }),
    };
  }
}

export const badRequest = (detail: string) => new Problem(400, 'Bad Request', detail);
export const notFound = (detail?: string) => new Problem(404, 'Not Found', detail);
export const forbidden = (detail: string) => new Problem(403, 'Forbidden', detail);
