import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks code running inside a unit of work. Inside one, every query must go through the unit's
 * own transaction (`w.tx`): a query on the outer database would, on PGlite (one connection), wait
 * forever for the transaction that is waiting for it, and on PostgreSQL would escape the
 * transaction's atomicity. The outer handle throws instead, at once, naming the mistake.
 */
export const transactionScope = new AsyncLocalStorage<true>();

export function guardOuterHandle<T extends object>(orm: T): T {
  return new Proxy(orm, {
    get(target, property, receiver) {
      if (transactionScope.getStore()) {
        throw new Error(
          `database: ${String(property)} on the outer database inside a transaction; use the transaction (w.tx) instead`,
        );
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
