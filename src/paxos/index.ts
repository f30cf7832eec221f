export { createPaxosClient } from './client.js';
export type { PaxosApiClient, PaxosClientOptions } from './client.js';
export { createWithRefId, isAlreadyExists, isOutcomeUnknown } from './create.js';
export { LOCAL_CREDENTIALS, readEnvFile, resolveCredentials } from './credentials.js';
export type { ResolveCredentialsOptions } from './credentials.js';
export { parseEnvFile } from './env-file.js';
export { PaxosApiError, codeForProblem, isPaxosApiError, parseProblem, problemSlug } from './errors.js';
export type { PaxosApiErrorOptions, PaxosProblem, PaxosRequestInfo } from './errors.js';
export { deriveRefId } from './ref-id.js';
export { PAXOS_RATE_LIMITS, createRateLimiter, endpointClass, parseRateLimits, sharedRateLimiter } from './rate-limit.js';
export type { EndpointClass, RateLimiter, RateLimiterOptions, RateLimits } from './rate-limit.js';
export { REMOTE_TARGETS, remoteTarget } from './target.js';
export type { RemoteTargetOptions } from './target.js';
export { clearTokenCache, createTokenManager } from './token.js';
export type { AccessToken, TokenManager, TokenManagerOptions } from './token.js';
export type { RetryPolicy } from './_http.js';
export type {
  PaxosCallOptions,
  PaxosClient,
  PaxosCreateOptions,
  PaxosCreateResult,
  PaxosCredentials,
  PaxosGet,
  QueryValue,
} from './types.js';
