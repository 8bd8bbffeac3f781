import { Hono } from 'hono';
import type { Bindings } from '../settings.ts';

/**
 * `GET /t.js`: redirectless tracking for advertisers' landing pages (tracking contract, section 4).
 * On load it keeps the click id from the URL (`click_id` / `transaction_id`), or registers a click
 * through `/r/{offer}` when the page was reached directly with `aff_id` and `offer_id`, and stores
 * it first-party (cookie + localStorage) per offer. `TAS.conversion(offerId, { event, amount, txid })`
 * later fires the image pixel with that click id and the page's consent parameters. Nothing is
 * stored when the page's URL refuses consent or /r/ answers `store: false` (docs/privacy-tracking.md).
 */
export const trackingScriptRoute = new Hono<{ Bindings: Bindings }>();

const script = (edge: string) => `(function () {
  var EDGE = ${JSON.stringify(edge)};
  var params = new URLSearchParams(window.location.search);
  function save(key, value) { try { window.localStorage.setItem(key, value); } catch (e) {} }
  function load(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function cookie(name) {
    var found = document.cookie.split('; ').filter(function (c) { return c.indexOf(name + '=') === 0; })[0];
    return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
  }
  // A page URL that says the visitor refused (consent=denied, or GDPR applying without a TC string)
  // keeps nothing on the device; /r/ answers store=false where the offer requires consent.
  var c = (params.get('consent') || '').toLowerCase();
  var refused = c === 'denied' || c === '0' || c === 'false' || c === 'no' ||
    (params.get('gdpr') === '1' && !params.get('gdpr_consent'));
  function remember(offerId, clickId, hours) {
    if (refused) return;
    var key = 'tas_c' + offerId;
    save(key, clickId);
    document.cookie = key + '=' + encodeURIComponent(clickId) + '; Max-Age=' + Math.round(hours * 3600) +
      '; Path=/; SameSite=Lax' + (window.location.protocol === 'https:' ? '; Secure' : '');
  }
  // The offer id travels inside the click id (bytes 5..8, see docs/decisions/004-click-id-format.md).
  function offerOf(clickId) {
    try {
      var bin = atob(clickId.replace(/-/g, '+').replace(/_/g, '/'));
      if (bin.length !== 33) return null;
      return ((bin.charCodeAt(5) << 24) >>> 0) + (bin.charCodeAt(6) << 16) + (bin.charCodeAt(7) << 8) + bin.charCodeAt(8);
    } catch (e) { return null; }
  }
  var fromUrl = params.get('click_id') || params.get('transaction_id');
  if (fromUrl && offerOf(fromUrl)) {
    remember(offerOf(fromUrl), fromUrl, 720);
  } else if (params.get('aff_id') && params.get('offer_id')) {
    var offerId = params.get('offer_id');
    if (!load('tas_c' + offerId) && !cookie('tas_c' + offerId)) {
      fetch(EDGE + '/r/' + encodeURIComponent(offerId) + '?' + params.toString(), { credentials: 'omit' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (j && j.click_id && j.store !== false) remember(offerId, j.click_id, j.attribution_window_hours || 720);
        })
        .catch(function () {});
    }
  }
  window.TAS = {
    clickId: function (offerId) { return load('tas_c' + offerId) || cookie('tas_c' + offerId); },
    conversion: function (offerId, fields) {
      var query = new URLSearchParams();
      // The page's consent parameters go with the conversion unless the call gives its own.
      ['consent', 'gdpr', 'gdpr_consent', 'ad_user_data', 'ad_personalization'].forEach(function (k) {
        if (params.get(k)) query.set(k, params.get(k));
      });
      Object.keys(fields || {}).forEach(function (k) { if (fields[k] != null) query.set(k, String(fields[k])); });
      var id = window.TAS.clickId(offerId);
      if (id) query.set('click_id', id);
      new Image().src = EDGE + '/p/' + encodeURIComponent(offerId) + '.gif?' + query.toString();
    }
  };
})();
`;

trackingScriptRoute.get('/', (c) => {
  const origin = new URL(c.req.url).origin;
  return c.body(script(origin), 200, {
    'content-type': 'application/javascript; charset=utf-8',
    'cache-control': 'public, max-age=300',
    'access-control-allow-origin': '*',
  });
});
