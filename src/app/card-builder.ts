import type { VigieConfig } from '../config/schema.js';
import { createCardBuilder, type CardBuilderDeps, type TemplateSuggester } from '../cards/build-card.js';
import type { Store } from '../../adapters/db/store.js';

export function cardBuilderFor(
  store: Store,
  suggest: TemplateSuggester | undefined,
  authorHints: CardBuilderDeps['authorHints'] | undefined,
  config: VigieConfig,
) {
  return createCardBuilder({ store, config, suggest: suggest ?? (() => []), ...(authorHints ? { authorHints } : {}) });
}
