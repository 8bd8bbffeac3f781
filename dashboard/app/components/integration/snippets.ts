import type { components } from '~/api/schema';

export type Offer = components['schemas']['Offer'];
export type ConversionSources = Offer['acceptedConversionSources'];

/** What an advertiser's platform fills in: its own macros go where these placeholders are. */
export const PLACEHOLDERS = { clickId: '{click_id}', amount: '{amount}', orderId: '{order_id}' } as const;

const CLICK_ID_MACROS = ['{click_id}', '{transaction_id}'];

export type IntegrationSnippets = {
  postbacksAccepted: boolean;
  pixelsAccepted: boolean;
  /** The server-to-server postback, as an advertiser's platform is given it. */
  postbackUrl: string;
  /** The same order sent again with a status: approve a pending one, or charge it back. */
  statusUpdateUrl: string;
  pixelImage: string;
  pixelScript: string;
  pixelIframe: string;
  /** On every landing page: keeps the click id first-party (or registers a click for direct links). */
  trackingScript: string;
  /** On the thank-you page, with the tracking script: fires the pixel with the stored click id. */
  trackingConversion: string;
  /** A direct link an affiliate may use instead of the redirect, for pages running /t.js. */
  directLinkExample: string;
  /** Whether the destination URL hands the click id to the landing page ({click_id} macro). */
  destinationCarriesClickId: boolean;
  /** The destination with the click id added, when it does not carry it yet. */
  destinationSuggestion: string | null;
};

function pixelQuery(offer: Offer): string {
  return `event=${offer.defaultEvent}&amount=${PLACEHOLDERS.amount}&txid=${PLACEHOLDERS.orderId}`;
}

/** Where a landing page may be reached directly, for the /t.js example (the destination without macros). */
function landingOf(destination: string): string {
  try {
    const url = new URL(destination.replace(/\{[a-z0-9_]+\}/gi, 'x'));
    return `${url.origin}${url.pathname}`;
  } catch {
    return 'https://your-landing-page.example/';
  }
}

/**
 * Everything an advertiser pastes into its systems for one offer, built from the offer and the
 * edge's public URL (tracking contract, sections 3 and 4). Secrets are never part of it: where the
 * offer demands one, the URL says where it goes, not what it is.
 */
export function integrationSnippets(offer: Offer, edgeUrl: string): IntegrationSnippets {
  const sources = offer.acceptedConversionSources;
  const secret = offer.hasPostbackSecret ? '&secret=YOUR_POSTBACK_SECRET' : '';
  const postbackUrl = `${edgeUrl}/postback?click_id=${PLACEHOLDERS.clickId}&amount=${PLACEHOLDERS.amount}&txid=${PLACEHOLDERS.orderId}${secret}`;
  const statusUpdateUrl = `${edgeUrl}/postback?click_id=${PLACEHOLDERS.clickId}&txid=${PLACEHOLDERS.orderId}&status=approved${secret}`;
  const pixel = (extension: 'gif' | 'js' | 'html') =>
    `${edgeUrl}/p/${offer.id}.${extension}?${pixelQuery(offer)}`;
  const escaped = (url: string) => url.replaceAll('&', '&amp;');
  const destinationCarriesClickId = CLICK_ID_MACROS.some((macro) => offer.destinationUrl.includes(macro));
  const separator = offer.destinationUrl.includes('?') ? '&' : '?';
  return {
    postbacksAccepted: sources !== 'pixel',
    pixelsAccepted: sources !== 'postback',
    postbackUrl,
    statusUpdateUrl,
    pixelImage: `<img src="${escaped(pixel('gif'))}" width="1" height="1" alt="" style="display:none">`,
    pixelScript: `<script src="${escaped(pixel('js'))}" async></script>`,
    pixelIframe: `<iframe src="${escaped(pixel('html'))}" width="1" height="1" frameborder="0" style="display:none"></iframe>`,
    trackingScript: `<script src="${edgeUrl}/t.js" async></script>`,
    trackingConversion: [
      `<script src="${edgeUrl}/t.js"></script>`,
      '<script>',
      `  TAS.conversion(${offer.id}, { event: '${offer.defaultEvent}', amount: '${PLACEHOLDERS.amount}', txid: '${PLACEHOLDERS.orderId}' });`,
      '</script>',
    ].join('\n'),
    directLinkExample: `${landingOf(offer.destinationUrl)}?offer_id=${offer.id}&aff_id={aff_id}`,
    destinationCarriesClickId,
    destinationSuggestion: destinationCarriesClickId
      ? null
      : `${offer.destinationUrl}${separator}click_id=${PLACEHOLDERS.clickId}`,
  };
}

export type PostbackParameter = { name: string; aliases: string; required: boolean; description: string };

/** The postback's parameters for this offer, in the words of the tracking contract. */
export function postbackParameters(offer: Offer): PostbackParameter[] {
  return [
    {
      name: 'click_id',
      aliases: 'transaction_id',
      required: true,
      description: 'The click id your landing page received. It names the affiliate and the offer.',
    },
    {
      name: 'amount',
      aliases: 'sale_amount',
      required: false,
      description: `The sale amount as a decimal (49.90), in ${offer.currency} unless currency says otherwise. Revenue shares and budgets are computed from it.`,
    },
    {
      name: 'txid',
      aliases: 'order_id, adv_sub',
      required: false,
      description:
        'Your order id. The same order is counted once, however often it is sent; without it each postback counts.',
    },
    {
      name: 'event',
      aliases: '',
      required: false,
      description: `One of ${offer.events.map((e) => `“${e}”`).join(', ')}. Default: “${offer.defaultEvent}”.`,
    },
    {
      name: 'currency',
      aliases: '',
      required: false,
      description: `Only when the amount is not in ${offer.currency}: it is converted at the network’s rate.`,
    },
    {
      name: 'status',
      aliases: '',
      required: false,
      description:
        'pending, approved or rejected. Send the same click_id and txid again with a status to approve a pending order or charge one back.',
    },
    ...(offer.hasPostbackSecret
      ? [
          {
            name: 'secret',
            aliases: 'X-TAS-Postback-Secret header',
            required: true,
            description: 'This offer’s postback secret. Without it the postback is refused (401).',
          },
        ]
      : []),
  ];
}

export const SOURCES_TEXT: Record<ConversionSources, string> = {
  postback: 'Server postbacks only',
  pixel: 'Browser pixels only',
  postback_and_pixel: 'Postbacks and pixels',
};
