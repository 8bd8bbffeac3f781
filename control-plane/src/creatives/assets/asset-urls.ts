import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * A creative's URL is shown on affiliates' sites and in the edge's ad tags, where nobody carries
 * a TAS credential. So the URL a creative carries is a capability: the asset id signed with a key
 * derived from the control plane's secret. Only those who may see the creative learn it through
 * the API; the bearer route (`/creative-assets/{id}`) stays for the dashboard and API clients.
 */

export type AssetUrlSigner = {
  /** The public, signed URL of an asset (what a creative's `url` becomes). */
  publicUrl(assetId: number, sha256: string): string;
  verify(assetId: number, sha256: string, signature: string): boolean;
};

export function assetUrlSigner(secret: string, publicApiUrl: string): AssetUrlSigner {
  // Its own key, so a signature here can never be replayed as anything else signed with the secret.
  const key = createHmac('sha256', secret).update('tas creative asset urls v1').digest();
  const sign = (assetId: number, sha256: string) =>
    createHmac('sha256', key).update(`${assetId}:${sha256}`).digest('base64url').slice(0, 32);
  const base = publicApiUrl.replace(/\/+$/, '');
  return {
    publicUrl: (assetId, sha256) =>
      `${base}/api/v1/creative-assets/${assetId}/public?sig=${sign(assetId, sha256)}`,
    verify(assetId, sha256, signature) {
      const wanted = Buffer.from(sign(assetId, sha256));
      const given = Buffer.from(signature);
      return wanted.length === given.length && timingSafeEqual(wanted, given);
    },
  };
}
