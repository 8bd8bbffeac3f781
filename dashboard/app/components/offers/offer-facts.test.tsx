import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { components } from '~/api/schema';
import { PrivacyCard } from './offer-facts';

type Offer = components['schemas']['Offer'];
const offerWith = (privacy: Offer['privacy']) => ({ privacy }) as Offer;

const fact = (label: string) => screen.getByText(label).nextElementSibling?.textContent;

describe('PrivacyCard', () => {
  it("says which settings the offer overrides and which follow the network's", () => {
    const { unmount } = render(
      <PrivacyCard offer={offerWith({ ipMode: 'hashed', userAgentMode: null, consentRequired: true })} />,
    );
    expect(fact('IP addresses')).toBe('Hashed at the edge');
    expect(fact('User agents')).toBe('Network setting');
    expect(fact('Click cookie')).toBe('Only with consent');
    expect(fact('EU visitors')).toBe('Network setting');
    unmount();

    render(
      <PrivacyCard
        offer={offerWith({
          ipMode: null,
          userAgentMode: 'parsed',
          consentRequired: false,
          forwardEuVisitors: true,
        })}
      />,
    );
    expect(fact('IP addresses')).toBe('Network setting');
    expect(fact('User agents')).toBe('Browser, OS and device only');
    expect(fact('Click cookie')).toBe('Set on every click');
    expect(fact('EU visitors')).toBe('Conversions forwarded to ad platforms');
  });
});
