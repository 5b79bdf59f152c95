import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMemoryBackend } from '../../state/index.js';
import { openTestDatabase } from '../../test/databases.js';
import { openKnowledgeStore } from './openKnowledgeStore.js';

describe('knowledge store start-up', () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await handle.dispose();
  });

  test('without the demo seed, a shop starts with no articles instead of the demo ones', async () => {
    const state = createMemoryBackend();
    const store = await openKnowledgeStore({ db: handle.db, pubsub: state.pubsub, importShipped: false });
    try {
      expect(await store.articles.list()).toEqual([]);
      expect(store.published.current().base.articles).toEqual([]);
    } finally {
      await store.close();
      await state.close();
    }
  });
});
