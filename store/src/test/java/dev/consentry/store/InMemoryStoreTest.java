package dev.consentry.store;

import dev.consentry.store.memory.InMemoryStore;

class InMemoryStoreTest extends StoreContract {
    @Override
    protected Store newStore() {
        return new InMemoryStore();
    }

    @Override
    protected Store newStore(int traceCapacity) {
        return new InMemoryStore(traceCapacity);
    }
}
