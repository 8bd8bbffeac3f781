import { ExternalLinkIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import type { components } from '~/api/schema';
import { formatCount } from '~/lib/format';
import { cn } from '~/lib/utils';
import { Badge } from '../ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '../ui/card';
import { DEVICE_LABEL, formatHours, OS_LABEL, SOURCES_LABEL } from './offer-text';

type Offer = components['schemas']['Offer'];
type Targeting = Offer['targeting'];

/** Label / value rows, dense, wrapping to one column on a phone. */
export function Facts({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <dl className={cn('grid gap-x-4 gap-y-0.5 text-sm sm:grid-cols-[9rem_1fr] sm:gap-y-3', className)}>
      {children}
    </dl>
  );
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words max-sm:mb-2.5">{children}</dd>
    </>
  );
}

function Chips({ items, empty }: { items: readonly string[]; empty: string }) {
  if (items.length === 0) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {items.map((item) => (
        <Badge key={item} variant="secondary" className="font-normal">
          {item}
        </Badge>
      ))}
    </span>
  );
}

export function UrlText({ url }: { url: string | null }) {
  if (!url) return <span className="text-muted-foreground">None</span>;
  return <code className="font-mono text-xs break-all text-foreground/90">{url}</code>;
}

/** Countries, devices and operating systems an offer takes (empty lists: any). */
export function TargetingFacts({ targeting }: { targeting: Targeting }) {
  return (
    <>
      <Fact label="Countries">
        <Chips items={targeting.countries} empty="All countries" />
      </Fact>
      <Fact label="Devices">
        <Chips items={targeting.devices.map((device) => DEVICE_LABEL[device])} empty="All devices" />
      </Fact>
      <Fact label="Operating systems">
        <Chips items={targeting.operatingSystems.map((os) => OS_LABEL[os])} empty="All systems" />
      </Fact>
    </>
  );
}

/** Where an offer sends visitors: destination, preview, fallback and weighted landing pages. */
export function TrackingCard({ offer }: { offer: Offer }) {
  const totalWeight = offer.landingPages.reduce((sum, page) => sum + page.weight, 0);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Destination</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts>
          <Fact label={offer.landingPages.length > 0 ? 'Default URL' : 'Destination URL'}>
            <UrlText url={offer.destinationUrl} />
          </Fact>
          <Fact label="Preview URL">
            {offer.previewUrl ? (
              <a
                href={offer.previewUrl}
                target="_blank"
                rel="noreferrer noopener"
                className="inline-flex items-center gap-1 text-primary hover:underline"
              >
                <UrlText url={offer.previewUrl} />
                <ExternalLinkIcon className="size-3 shrink-0" aria-hidden />
              </a>
            ) : (
              <UrlText url={null} />
            )}
          </Fact>
          <Fact label="Fallback URL">
            <UrlText url={offer.fallbackUrl} />
          </Fact>
          <Fact label="Landing pages">
            {offer.landingPages.length === 0 ? (
              <span className="text-muted-foreground">None: every click goes to the destination URL</span>
            ) : (
              <ul className="grid gap-2">
                {offer.landingPages.map((page) => (
                  <li key={page.id} className="grid gap-0.5">
                    <span className="flex items-baseline justify-between gap-2">
                      <span className="font-medium">{page.name}</span>
                      <span className="text-xs tabular-nums text-muted-foreground">
                        {((page.weight / totalWeight) * 100).toFixed(1)}% · weight {formatCount(page.weight)}
                      </span>
                    </span>
                    <UrlText url={page.url} />
                  </li>
                ))}
              </ul>
            )}
          </Fact>
          <Fact label="Deep links">
            {offer.deepLinks.allowed ? (
              <span className="grid gap-1">
                <span>Allowed</span>
                <Chips items={offer.deepLinks.hosts} empty="Any host of the destination" />
              </span>
            ) : (
              <span className="text-muted-foreground">Not allowed</span>
            )}
          </Fact>
        </Facts>
      </CardContent>
    </Card>
  );
}

/** How conversions are taken: events, window, sources and postback security. */
export function ConversionCard({ offer }: { offer: Offer }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Conversions</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts>
          <Fact label="Events">
            <span className="flex flex-wrap items-center gap-1">
              {offer.events.map((event) => (
                <Badge key={event} variant={event === offer.defaultEvent ? 'default' : 'secondary'}>
                  {event}
                  {event === offer.defaultEvent ? ' · default' : ''}
                </Badge>
              ))}
            </span>
          </Fact>
          <Fact label="Attribution window">{formatHours(offer.attributionWindowHours)}</Fact>
          <Fact label="Accepted sources">
            {SOURCES_LABEL[offer.acceptedConversionSources]}
            {offer.conversionSources === null ? (
              <span className="text-muted-foreground"> (default)</span>
            ) : null}
          </Fact>
          <Fact label="Postback secret">
            {offer.hasPostbackSecret ? (
              <Badge variant="success">Set</Badge>
            ) : (
              <span className="text-muted-foreground">Not set</span>
            )}
          </Fact>
          <Fact label="Postback IPs">
            <Chips items={offer.postbackIpAllowlist} empty="Any address" />
          </Fact>
        </Facts>
      </CardContent>
    </Card>
  );
}

/** Fraud rules in plain words. */
export function FraudCard({ offer }: { offer: Offer }) {
  const rules = offer.fraudRules;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Fraud rules</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts>
          <Fact label="Duplicate clicks">
            {rules.duplicateClickWindowSeconds === 0
              ? 'Not checked'
              : `Same IP within ${formatCount(rules.duplicateClickWindowSeconds)} s`}
          </Fact>
          <Fact label="IP velocity">
            {rules.maxClicksPerIpPerMinute === null
              ? 'Not limited'
              : `${formatCount(rules.maxClicksPerIpPerMinute)} clicks/min per IP`}
          </Fact>
          <Fact label="Time to convert">
            {rules.minSecondsToConvert === null && rules.maxSecondsToConvert === null
              ? 'Not checked'
              : `${rules.minSecondsToConvert === null ? 'any' : `≥ ${formatCount(rules.minSecondsToConvert)} s`} · ${
                  rules.maxSecondsToConvert === null ? 'any' : `≤ ${formatCount(rules.maxSecondsToConvert)} s`
                }`}
          </Fact>
          <Fact label="Flagged clicks">
            {rules.action === 'flag' ? 'Recorded and redirected' : 'Sent to the fallback'}
          </Fact>
          <Fact label="Blocked">
            {formatCount(rules.blockedIps.length)} IPs · {formatCount(rules.blockedUserAgents.length)} user
            agents
          </Fact>
        </Facts>
      </CardContent>
    </Card>
  );
}

const IP_MODE_TEXT = {
  full: 'Kept whole',
  truncated: 'Truncated (/24, /48)',
  hashed: 'Hashed at the edge',
} as const;
const USER_AGENT_MODE_TEXT = { full: 'Kept whole', parsed: 'Browser, OS and device only' } as const;

/** What this offer overrides of the network's privacy settings; the rest follows the network. */
export function PrivacyCard({ offer }: { offer: Offer }) {
  const { ipMode, userAgentMode, consentRequired, forwardEuVisitors } = offer.privacy;
  const network = <span className="text-muted-foreground">Network setting</span>;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Privacy</CardTitle>
      </CardHeader>
      <CardContent>
        <Facts>
          <Fact label="IP addresses">{ipMode ? IP_MODE_TEXT[ipMode] : network}</Fact>
          <Fact label="User agents">{userAgentMode ? USER_AGENT_MODE_TEXT[userAgentMode] : network}</Fact>
          <Fact label="Click cookie">
            {consentRequired === null || consentRequired === undefined
              ? network
              : consentRequired
                ? 'Only with consent'
                : 'Set on every click'}
          </Fact>
          <Fact label="EU visitors">
            {forwardEuVisitors === null || forwardEuVisitors === undefined
              ? network
              : forwardEuVisitors
                ? 'Conversions forwarded to ad platforms'
                : 'Conversions not forwarded to ad platforms'}
          </Fact>
        </Facts>
      </CardContent>
    </Card>
  );
}
