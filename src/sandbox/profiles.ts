import { Problem, type Route } from './http-types.js';
import { checkOrderBy, paginate, readBoolean, readLimit, readOrder, timeFilter } from './pagination.js';
import type { ProfileRecord, SandboxState } from './state.js';
import { timestamp } from './time.js';
import { checkBody, isUuid, objectOf, str } from './validate.js';

/** The alias Paxos accepts for the DEFAULT profile wherever a profile id goes. */
export const DEFAULT_PROFILE_ALIAS = 'default';

const createdAt = new WeakMap<ProfileRecord, string>();

/** The profile for an id or the alias `default`; throws the Paxos 404 `profile not found: <id>`. */
export function resolveProfile(state: SandboxState, idOrAlias: string): ProfileRecord {
  if (idOrAlias === DEFAULT_PROFILE_ALIAS) {
    for (const profile of state.profiles.values()) if (profile.type === 'DEFAULT') return profile;
  }
  const profile = state.profiles.get(idOrAlias);
  if (!profile) throw new Problem(404, 'Not Found', `profile not found: ${idOrAlias}`);
  return profile;
}

/** Stores a new profile. The nickname must be free (compare with {@link findProfileByNickname} first). */
export function addProfile(
  state: SandboxState,
  fields: { nickname: string; type: ProfileRecord['type']; description?: string; account_id?: string },
): ProfileRecord {
  const profile: ProfileRecord = { id: state.newId(), nickname: fields.nickname, type: fields.type };
  if (fields.description !== undefined) profile.description = fields.description;
  if (fields.account_id !== undefined) profile.account_id = fields.account_id;
  state.profiles.set(profile.id, profile);
  createdAt.set(profile, timestamp(state));
  return profile;
}

/** When the profile was created (profile objects do not show it; the `created_at` filters use it). */
export function profileCreatedAt(profile: ProfileRecord): string | undefined {
  return createdAt.get(profile);
}

/** Puts back a profile as a snapshot recorded it: same id, same creation time. */
export function restoreProfile(state: SandboxState, profile: ProfileRecord, created: string): void {
  state.profiles.set(profile.id, profile);
  createdAt.set(profile, created);
}

/** Nicknames are unique without regard to case. */
export function findProfileByNickname(state: SandboxState, nickname: string): ProfileRecord | undefined {
  const wanted = nickname.toLowerCase();
  for (const profile of state.profiles.values()) if (profile.nickname.toLowerCase() === wanted) return profile;
  return undefined;
}

/** The Paxos `Profile` object. */
export function profileView(profile: ProfileRecord): Record<string, unknown> {
  return {
    id: profile.id,
    nickname: profile.nickname,
    type: profile.type,
    ...(profile.description === undefined ? {} : { description: profile.description }),
    ...(profile.account_id === undefined ? {} : { account_id: profile.account_id }),
  };
}

/** The request body's rules (exported for the property test that walks them). */
export const createProfileBody = objectOf({
  fields: { nickname: str({ maxLength: 100 }), description: str({ maxLength: 500 }) },
  required: ['nickname'],
});

export const profileRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v2/profiles',
    scopes: ['funding:read_profile'],
    handle({ query }, state) {
      checkOrderBy(query);
      const limit = readLimit(query, 1000, 1000);
      const order = readOrder(query, 'ASC');
      const prefix = query.get('nickname')?.toLowerCase();
      const ids = new Set(query.getAll('ids').flatMap((value) => value.split(',')).map((id) => id.trim()).filter(Boolean));
      if (ids.size > 100) throw new Problem(400, 'Bad Request', 'ids: at most 100 ids may be given');
      if (![...ids].every(isUuid)) throw new Problem(400, 'Bad Request', 'ids: must be profile UUIDs');
      const inTime = timeFilter<ProfileRecord>(query, 'created_at', (profile) => createdAt.get(profile));
      const page = paginate([...state.profiles.values()], {
        query,
        order,
        limit,
        keep: (profile) =>
          (prefix === undefined || profile.nickname.toLowerCase().startsWith(prefix)) &&
          (ids.size === 0 || ids.has(profile.id)) &&
          inTime(profile),
      });
      return { body: { ...page, items: page.items.map(profileView) } };
    },
  },
  {
    method: 'GET',
    path: '/v2/profiles/:profile_id',
    scopes: ['funding:read_profile'],
    handle({ params, query }, state) {
      // Read for its validation only: the emulator cannot deactivate a profile, so none is ever hidden.
      readBoolean(query, 'include_deactivated');
      return { body: profileView(resolveProfile(state, params.profile_id ?? '')) };
    },
  },
  {
    method: 'POST',
    path: '/v2/profiles',
    scopes: ['funding:write_profile'],
    handle({ body }, state) {
      checkBody(createProfileBody, body);
      const { nickname, description } = body as { nickname: string; description?: string };
      if (nickname.trim() === '') throw new Problem(400, 'Bad Request', 'nickname: must not be empty');
      const existing = findProfileByNickname(state, nickname);
      if (existing) {
        throw new Problem(409, 'Already Exists', 'duplicate nickname provided', {
          slug: 'already-exists',
          meta: { existing: { id: existing.id, nickname: existing.nickname, type: existing.type } },
        });
      }
      return { body: profileView(addProfile(state, { nickname, type: 'NORMAL', description })) };
    },
  },
];
