import type Stripe from 'stripe';
import { ok, type ProcessorResult } from '../processor-result.ts';
import { callStripe } from './stripe-errors.ts';

/** Stripe's largest page. */
const PAGE_SIZE = 100;

/**
 * Every object of a Stripe list, page by page (`limit`, `starting_after` the last id of the page
 * before), each mapped as it arrives so only what TAS compares is kept. Explicit pages rather than
 * the SDK's auto-pagination so a page Stripe cannot answer ends the walk as a typed failure, not
 * an exception halfway through an iterator.
 */
export async function listAll<T extends { id: string }, R>(
  page: (params: { limit: number; starting_after?: string }) => Promise<Stripe.ApiList<T>>,
  map: (object: T) => R,
): Promise<ProcessorResult<R[]>> {
  const all: R[] = [];
  let after: string | undefined;
  for (;;) {
    const cursor = after;
    const answer = await callStripe(() =>
      page({ limit: PAGE_SIZE, ...(cursor === undefined ? {} : { starting_after: cursor }) }),
    );
    if (!answer.ok) return answer;
    for (const object of answer.value.data) all.push(map(object));
    after = answer.value.data.at(-1)?.id;
    if (!answer.value.has_more || after === undefined) return ok(all);
  }
}
