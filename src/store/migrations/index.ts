import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';
import { mergedIndex } from './0002-merged-index.js';
import { apiKeys } from './0003-api-keys.js';
import { webhooks } from './0004-webhooks.js';
import { recipientTokens } from './0005-recipient-tokens.js';
import { consentRequests } from './0006-consent-requests.js';
import { lists } from './0007-lists.js';
import { sends } from './0008-sends.js';
import { acquisitions } from './0009-acquisitions.js';
import { erasure } from './0010-erasure.js';
import { rectificationRequests } from './0011-rectification-requests.js';
import { campaignClaims } from './0012-campaign-claims.js';
import { overseasNumbers } from './0013-overseas-numbers.js';
import { formRevisions } from './0014-form-revisions.js';
import { identifierSpellings } from './0015-identifier-spellings.js';
import { eventOrigins } from './0016-event-origins.js';
import { suppressionLifts } from './0017-suppression-lifts.js';
import { spentNonces } from './0018-spent-nonces.js';
import { deferredSignUps } from './0019-deferred-sign-ups.js';
import { screenings } from './0020-screenings.js';
import { erasedContactsIndex } from './0021-erased-contacts-index.js';
import { campaignSendsPageIndex } from './0022-campaign-sends-page.js';
import { restrictionLifts } from './0023-restriction-lifts.js';
import { rightsExtensions } from './0024-rights-extensions.js';

type Dialect = 'sqlite' | 'postgres';

/**
 * Versioned migrations, one file each, listed here in order: Kysely's Migrator runs them by name and records them.
 * Written with the schema builder; a migration takes the dialect where types differ. Never edit a shipped one.
 */
const MIGRATIONS: Record<string, (dialect: Dialect) => Migration> = {
  '0001-initial': initial,
  '0002-merged-index': mergedIndex,
  '0003-api-keys': apiKeys,
  '0004-webhooks': webhooks,
  '0005-recipient-tokens': recipientTokens,
  '0006-consent-requests': consentRequests,
  '0007-lists': lists,
  '0008-sends': sends,
  '0009-acquisitions': acquisitions,
  '0010-erasure': erasure,
  '0011-rectification-requests': rectificationRequests,
  '0012-campaign-claims': campaignClaims,
  '0013-overseas-numbers': overseasNumbers,
  '0014-form-revisions': formRevisions,
  '0015-identifier-spellings': identifierSpellings,
  '0016-event-origins': eventOrigins,
  '0017-suppression-lifts': suppressionLifts,
  '0018-spent-nonces': spentNonces,
  '0019-deferred-sign-ups': deferredSignUps,
  '0020-screenings': screenings,
  '0021-erased-contacts-index': erasedContactsIndex,
  '0022-campaign-sends-page': campaignSendsPageIndex,
  '0023-restriction-lifts': restrictionLifts,
  '0024-rights-extensions': rightsExtensions,
};

export function migrationsFor(dialect: Dialect): MigrationProvider {
  return {
    getMigrations: async () => Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, m(dialect)])),
  };
}
