import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { KNOWN_SCOPES, type TokenStore } from './auth.js';
import { mediaType, parseMultipart } from './form.js';
import type { ResolvedSandboxOptions } from './state.js';

/** A token-endpoint answer: the RFC 6749 token response or error object, always `application/json`. */
export interface OAuthReply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): OAuthReply => ({
  status,
  body: { error, error_description: description },
  ...(headers ? { headers } : {}),
});

function readForm(body: Buffer, contentType: string | undefined): Map<string, string> | undefined {
  const type = mediaType(contentType);
  if (type === 'application/x-www-form-urlencoded') {
    return new Map(new URLSearchParams(body.toString('utf8')));
  }
  if (type === 'multipart/form-data') return parseMultipart(body, contentType ?? '');
  return undefined;
}

interface ClientCredentials {
  id: string;
  secret: string;
}

function basicCredentials(header: string | undefined): ClientCredentials | undefined | 'malformed' {
  if (header === undefined || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.replace(/^basic\s+/i, '').trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
    const unescape = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
};

const shortName = (scope: string) => scope.replace(/[^\x21-\x7e]/g, '?').slice(0, 100);

/** `POST /oauth2/token` with the client_credentials grant. */
export function handleTokenRequest(
  headers: IncomingHttpHeaders,
  body: Buffer,
  options: ResolvedSandboxOptions,
  tokens: TokenStore,
): OAuthReply {
  const form = readForm(body, headers['content-type']);
  if (form === undefined) {
    return oauthError(400, 'invalid_request', 'the token request must be sent as application/x-www-form-urlencoded or multipart/form-data');
  }
  const basic = basicCredentials(headers.authorization);
  if (basic === 'malformed') return oauthError(400, 'invalid_request', 'malformed Basic authorization header');
  const fromBody = form.has('client_id') || form.has('client_secret');
  if (basic && fromBody) return oauthError(400, 'invalid_request', 'use only one method of client authentication');

  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'only the client_credentials grant type is supported');
  }
  const client = basic ?? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' };
  if (client.id === '') return oauthError(400, 'invalid_request', 'client_id is required');
  if (client.secret === '') return oauthError(400, 'invalid_request', 'client_secret is required');
  if (client.id !== options.clientId || !sameSecret(client.secret, options.clientSecret)) {
    return oauthError(401, 'invalid_client', 'client authentication failed', basic ? { 'www-authenticate': 'Basic realm="oauth2"' } : undefined);
  }

  const requested = [...new Set((form.get('scope') ?? '').split(/\s+/).filter((scope) => scope !== ''))];
  for (const scope of requested) {
    if (options.allowedScopes.includes(scope)) continue;
    const description = KNOWN_SCOPES.includes(scope)
      ? `the client is not allowed to request scope '${scope}'`
      : `the requested scope '${shortName(scope)}' does not exist`;
    return oauthError(400, 'invalid_scope', description);
  }
  const granted = requested.length > 0 ? requested : [...options.allowedScopes];
  const { token, expiresIn } = tokens.issue(granted);
  return {
    status: 200,
    body: { access_token: token, expires_in: expiresIn, scope: granted.join(' '), token_type: 'bearer' },
  };
}
