import { z } from 'zod';

/** Device classes the edge tells apart from the user agent. */
export const deviceTypeSchema = z.enum(['desktop', 'mobile', 'tablet', 'other']);
export type DeviceType = z.infer<typeof deviceTypeSchema>;

/** Operating systems the edge tells apart from the user agent. */
export const operatingSystemSchema = z.enum([
  'android',
  'ios',
  'windows',
  'macos',
  'linux',
  'chromeos',
  'other',
]);
export type OperatingSystem = z.infer<typeof operatingSystemSchema>;

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 in capitals')
  .describe('Country code, e.g. DE');

/** Who may see an offer's destination. An empty list means "any". */
export const targetingSchema = z
  .object({
    countries: z.array(countryCodeSchema).max(300).default([]),
    devices: z.array(deviceTypeSchema).default([]),
    operatingSystems: z.array(operatingSystemSchema).default([]),
  })
  .describe('Targeting rules; visitors outside them go to the fallback');
export type Targeting = z.infer<typeof targetingSchema>;
