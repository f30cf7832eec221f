import { accountRoutes } from './accounts.js';
import { balanceRoutes } from './balances.js';
import { documentRoutes } from './documents.js';
import { eventRoutes } from './events.js';
import { fiatRoutes } from './fiat.js';
import type { Route } from './http-types.js';
import { identityRoutes } from './identities.js';
import { marketRoutes } from './markets.js';
import { orderRoutes } from './orders.js';
import { profileRoutes } from './profiles.js';
import { transferRoutes } from './transfers.js';

/** Every `/v2` endpoint of the emulator; the token endpoint is served by the server itself. */
export const allRoutes: readonly Route[] = [
  ...identityRoutes,
  ...accountRoutes,
  ...profileRoutes,
  ...eventRoutes,
  ...balanceRoutes,
  ...marketRoutes,
  ...orderRoutes,
  ...documentRoutes,
  ...fiatRoutes,
  ...transferRoutes,
];
