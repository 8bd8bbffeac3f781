import { randomBytes } from 'node:crypto';
import type { Offer } from './snippets';
import { TEST_SUB1, type TestRequest, type TestResult } from './test-conversion';

/**
 * The user agent of the test's click. `isbot` reads it as a bot, so the edge records the click
 * flagged `bot`: an invalid click, never paid per click (decision 018).
 */
export const TEST_USER_AGENT = 'TAS-Dashboard-IntegrationTest/1.0 (bot; +test conversion from the dashboard)';
const TIMEOUT_MS = 10_000;

/** TEST-20261129-183012-4f2a: recognisable in every list, unique per test. */
export function testTxid(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `TEST-${stamp}-${randomBytes(2).toString('hex')}`;
}

type Fetch = typeof fetch;

async function call(
  fetcher: Fetch,
  label: string,
  url: string,
  shownUrl: string,
): Promise<TestRequest & { json: unknown }> {
  try {
    const response = await fetcher(url, {
      headers: { 'user-agent': TEST_USER_AGENT, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = (await response.text()).slice(0, 2000);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    const body = json === null ? text : JSON.stringify(json, null, 2);
    return { label, method: 'GET', url: shownUrl, status: response.status, body, json };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      label,
      method: 'GET',
      url: shownUrl,
      status: null,
      body: timedOut
        ? `No answer within ${TIMEOUT_MS / 1000} s.`
        : `The edge could not be reached (${String(error)}).`,
      json: null,
    };
  }
}

function field(json: unknown, key: string): unknown {
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[key] : undefined;
}

/**
 * A test conversion through the real edge, as an advertiser's systems would send it: a click
 * registered through `GET /r/{offer}` (the redirectless click of /t.js) and then the conversion
 * for it, by server postback, or by the JavaScript pixel on an offer that takes pixels only.
 *
 * It never becomes anyone's money: the click comes from a bot's user agent (an invalid click,
 * not paid per click) with sub1=tas-test, and the conversion carries status=rejected and a txid
 * TEST-…, so it is recorded and reported as a rejected conversion: not paid, not counted against
 * budgets, no affiliate postback fired.
 */
export async function sendTestConversion(
  input: {
    offer: Offer;
    edgeUrl: string;
    affiliateId: number;
    event: string;
    amount: string;
    secret: string | undefined;
  },
  fetcher: Fetch = fetch,
  now = new Date(),
): Promise<TestResult> {
  const { offer, edgeUrl } = input;
  const txid = testTxid(now);
  const clickQuery = new URLSearchParams({ aff_id: String(input.affiliateId), sub1: TEST_SUB1 });
  const clickUrl = `${edgeUrl}/r/${offer.id}?${clickQuery}`;
  const click = await call(fetcher, 'Click, registered at the edge', clickUrl, clickUrl);
  const clickId = field(click.json, 'click_id');
  if (click.status !== 200 || typeof clickId !== 'string') {
    return {
      ok: false,
      txid,
      summary:
        click.status === 404
          ? `The edge does not know this offer or affiliate ${input.affiliateId}: is the offer active or paused (published to the edge), and the affiliate id right?`
          : 'The edge did not register the test click, so no conversion was sent.',
      requests: [strip(click)],
    };
  }

  const viaPostback = offer.acceptedConversionSources !== 'pixel';
  const query = new URLSearchParams({
    click_id: clickId,
    event: input.event,
    amount: input.amount,
    txid,
    status: 'rejected',
  });
  const base = viaPostback ? `${edgeUrl}/postback` : `${edgeUrl}/p/${offer.id}.js`;
  const shown = new URLSearchParams(query);
  if (viaPostback && input.secret) {
    query.set('secret', input.secret);
    shown.set('secret', '••••••');
  }
  const conversion = await call(
    fetcher,
    viaPostback ? 'Server postback' : 'JavaScript pixel (this offer takes pixels only)',
    `${base}?${query}`,
    `${base}?${shown}`.replace(/%E2%80%A2/g, '•'),
  );
  return {
    txid,
    clickId,
    ...verdict(conversion, viaPostback, offer),
    requests: [strip(click), strip(conversion)],
  };
}

function strip({ json: _json, ...request }: TestRequest & { json: unknown }): TestRequest {
  return request;
}

function verdict(
  answer: TestRequest & { json: unknown },
  viaPostback: boolean,
  offer: Offer,
): { ok: boolean; summary: string } {
  if (!viaPostback) {
    const status = /tas: ([a-z_]+)/.exec(answer.body)?.[1] ?? 'unknown';
    return status === 'accepted' || status === 'duplicate'
      ? { ok: true, summary: `The pixel was ${status}: the edge recorded the test conversion.` }
      : { ok: false, summary: `The pixel answered “${status}”: the conversion was not recorded.` };
  }
  const code = field(field(answer.json, 'error'), 'code');
  if (answer.status === 200) {
    return {
      ok: true,
      summary: `Accepted (conversion ${String(field(answer.json, 'conversion_id'))}): your postback URL works end to end.`,
    };
  }
  if (answer.status === 401)
    return {
      ok: false,
      summary:
        offer.postbackIpAllowlist.length > 0
          ? 'Refused (401): the offer takes postbacks only from its allowed addresses, and this test comes from the dashboard’s server; or the secret is missing or wrong.'
          : 'Refused (401): the offer demands its postback secret. Enter it above to test with it (it is sent to the edge only, never stored).',
    };
  if (answer.status === null) return { ok: false, summary: answer.body };
  return {
    ok: false,
    summary: `Refused (${answer.status}${typeof code === 'string' ? ` ${code}` : ''}): ${String(field(field(answer.json, 'error'), 'message') ?? 'see the answer below.')}`,
  };
}
