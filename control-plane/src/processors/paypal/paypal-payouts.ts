import { formatDecimalAmount, parseDecimalAmount } from '@tas/shared/money';
import { z } from 'zod';
import { failed, ok, type ProcessorResult } from '../processor-result.ts';
import { type PayPalProcessor, paypalErrorSchema, paypalFailure } from './paypal-client.ts';

export type PayoutItemRequest = {
  /** TAS's id of this payment (the payout's key); PayPal refuses a duplicate within 30 days. */
  senderItemId: string;
  receiver: { type: 'EMAIL' | 'PAYPAL_ID' | 'PHONE'; value: string };
  amountMinor: number;
  currency: string;
  note?: string | undefined;
};

export type PayoutBatchRequest = {
  /**
   * The payout run's key. PayPal refuses a second batch with the same sender_batch_id for 30
   * days: that is the idempotency key, so a run resumed after a crash never pays twice.
   */
  senderBatchId: string;
  emailSubject?: string | undefined;
  items: PayoutItemRequest[];
};

export type PayoutBatchCreated = {
  batchId: string;
  status: string;
  /** True when PayPal already had this sender_batch_id: the existing batch, nothing sent again. */
  replayed: boolean;
};

const createdSchema = z.object({
  batch_header: z.object({ payout_batch_id: z.string(), batch_status: z.string() }),
});

const BATCH_LINK = /\/v1\/payments\/payouts\/([A-Za-z0-9]+)(?:[?#]|$)/;

/**
 * Sends a Payouts batch (`POST /v1/payments/payouts`). A sender_batch_id PayPal has seen is
 * answered with the batch it already has (found through the link in PayPal's duplicate error),
 * as `replayed`, so the caller goes on to read its status instead of paying again.
 */
export async function createPayoutBatch(
  paypal: PayPalProcessor,
  request: PayoutBatchRequest,
): Promise<ProcessorResult<PayoutBatchCreated>> {
  const body = {
    sender_batch_header: {
      sender_batch_id: request.senderBatchId,
      ...(request.emailSubject ? { email_subject: request.emailSubject } : {}),
    },
    items: request.items.map((item) => ({
      recipient_type: item.receiver.type,
      receiver: item.receiver.value,
      amount: { value: formatDecimalAmount(item.amountMinor, item.currency), currency: item.currency },
      sender_item_id: item.senderItemId,
      ...(item.note ? { note: item.note } : {}),
    })),
  };
  const response = await paypal.call('POST', '/v1/payments/payouts', body);
  if (!response.ok) return response;
  const { status, body: answer } = response.value;
  if (status === 201 || status === 200) {
    const created = createdSchema.safeParse(answer);
    if (!created.success) {
      return failed({
        kind: 'unavailable',
        message: 'PayPal answered a batch without its id.',
        retryable: true,
      });
    }
    return ok({
      batchId: created.data.batch_header.payout_batch_id,
      status: created.data.batch_header.batch_status,
      replayed: false,
    });
  }
  const error = paypalErrorSchema.safeParse(answer);
  const duplicate = error.success
    ? error.data.details?.find((d) => d.field?.toUpperCase() === 'SENDER_BATCH_ID')
    : undefined;
  if (duplicate) {
    const batchId = duplicate.link?.map((l) => BATCH_LINK.exec(l.href)?.[1]).find(Boolean);
    if (batchId) {
      const existing = await readPayoutBatch(paypal, batchId);
      if (!existing.ok) return existing;
      return ok({ batchId, status: existing.value.status, replayed: true });
    }
    return failed({
      kind: 'idempotency_conflict',
      code: 'DUPLICATE_SENDER_BATCH_ID',
      message: `PayPal already has a batch ${request.senderBatchId} and did not say which: find it in PayPal before paying again.`,
      requestId: error.success ? error.data.debug_id : undefined,
      retryable: false,
    });
  }
  return failed(paypalFailure(response.value));
}

const amountSchema = z.object({ value: z.string(), currency: z.string() });
const itemSchema = z.object({
  payout_item_id: z.string(),
  transaction_id: z.string().optional(),
  transaction_status: z.string(),
  payout_item: z.object({
    amount: amountSchema,
    receiver: z.string().optional(),
    sender_item_id: z.string().optional(),
  }),
  errors: z.object({ name: z.string(), message: z.string().optional() }).optional(),
});
const batchSchema = z.object({
  batch_header: z.object({
    payout_batch_id: z.string(),
    batch_status: z.string(),
    sender_batch_header: z.object({ sender_batch_id: z.string().optional() }).optional(),
  }),
  items: z.array(itemSchema).default([]),
});

/**
 * A payout item's state at PayPal. SUCCESS is paid; UNCLAIMED waits for the receiver to open a
 * PayPal account (returned after 30 days); FAILED, RETURNED, BLOCKED, REFUNDED and REVERSED
 * mean the money is back with the sender; PENDING, ONHOLD and NEW are not settled yet.
 */
export type PayoutItemState = {
  payoutItemId: string;
  senderItemId: string | null;
  transactionId: string | null;
  transactionStatus: string;
  amountMinor: number;
  currency: string;
  receiver: string | null;
  error: { name: string; message: string } | null;
};

export type PayoutBatch = {
  batchId: string;
  senderBatchId: string | null;
  status: string;
  items: PayoutItemState[];
};

const PAGE_SIZE = 1000;

/** Reads a batch and every item's status (`GET /v1/payments/payouts/{id}`, page by page). */
export async function readPayoutBatch(
  paypal: PayPalProcessor,
  batchId: string,
): Promise<ProcessorResult<PayoutBatch>> {
  const items: PayoutItemState[] = [];
  let header: z.infer<typeof batchSchema>['batch_header'] | null = null;
  for (let page = 1; ; page++) {
    const response = await paypal.call(
      'GET',
      `/v1/payments/payouts/${encodeURIComponent(batchId)}?page=${page}&page_size=${PAGE_SIZE}`,
    );
    if (!response.ok) return response;
    if (response.value.status !== 200) return failed(paypalFailure(response.value));
    const parsed = batchSchema.safeParse(response.value.body);
    if (!parsed.success) {
      return failed({
        kind: 'unavailable',
        message: 'PayPal answered a batch in an unknown shape.',
        retryable: true,
      });
    }
    header = parsed.data.batch_header;
    for (const item of parsed.data.items) {
      const state = itemStateOf(item);
      if (!state.ok) return state;
      items.push(state.value);
    }
    if (parsed.data.items.length < PAGE_SIZE) break;
  }
  return ok({
    batchId: header?.payout_batch_id ?? batchId,
    senderBatchId: header?.sender_batch_header?.sender_batch_id ?? null,
    status: header?.batch_status ?? 'UNKNOWN',
    items,
  });
}

function itemStateOf(item: z.infer<typeof itemSchema>): ProcessorResult<PayoutItemState> {
  const amount = parseDecimalAmount(item.payout_item.amount.value, item.payout_item.amount.currency);
  if (!amount.ok) {
    return failed({
      kind: 'unavailable',
      message: `PayPal answered item ${item.payout_item_id} with an amount TAS cannot read.`,
      retryable: false,
    });
  }
  return ok({
    payoutItemId: item.payout_item_id,
    senderItemId: item.payout_item.sender_item_id ?? null,
    transactionId: item.transaction_id ?? null,
    transactionStatus: item.transaction_status,
    amountMinor: amount.amountMinor,
    currency: item.payout_item.amount.currency,
    receiver: item.payout_item.receiver ?? null,
    error: item.errors ? { name: item.errors.name, message: item.errors.message ?? '' } : null,
  });
}

/**
 * One payout item as PayPal has it now (`GET /v1/payments/payouts-item/{id}`): what a webhook
 * handler reads instead of trusting the order of PAYMENT.PAYOUTS-ITEM.* events.
 */
export async function readPayoutItem(
  paypal: PayPalProcessor,
  payoutItemId: string,
): Promise<ProcessorResult<PayoutItemState>> {
  const response = await paypal.call('GET', `/v1/payments/payouts-item/${encodeURIComponent(payoutItemId)}`);
  if (!response.ok) return response;
  if (response.value.status !== 200) return failed(paypalFailure(response.value));
  const parsed = itemSchema.safeParse(response.value.body);
  if (!parsed.success) {
    return failed({
      kind: 'unavailable',
      message: 'PayPal answered an item in an unknown shape.',
      retryable: true,
    });
  }
  return itemStateOf(parsed.data);
}
