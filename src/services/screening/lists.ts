// What screening needs of the opposition and suppression lists: src/services/lists/lookup.ts's `ListsScreen`.
import type { ListsScreen } from '../lists/lookup.js';

export type { ListMatch, ListStatus } from '../lists/lookup.js';
export type ScreeningLists = ListsScreen;

/** No list at all: every list is missing (a phone screening in the Bloctel era is then refused). */
export const NO_LISTS: ScreeningLists = {
  versions: [],
  options: {},
  status: () => [],
  matches: async () => new Map(),
  suppressed: async () => new Set(),
};
