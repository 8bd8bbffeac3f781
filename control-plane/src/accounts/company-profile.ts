import { z } from 'zod';

/*
 * Advertisers and affiliates are both companies with the same contact profile. Its fields are
 * validated, and answered, alike for both, so they are declared once here and spread into each
 * resource's schemas beside the fields that resource has alone (in the same order as before).
 */

/** The profile as sent in a change: each field may be cleared (null) but for the name. */
export const companyProfileFields = {
  companyName: z.string().trim().min(1).max(200),
  websiteUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable(),
  contactEmail: z.email().max(254).nullable(),
  contactPhone: z.string().max(50).nullable(),
};

/** The profile of a new company: the name is required, the rest may be left out. */
export const companyProfileCreateFields = {
  companyName: companyProfileFields.companyName,
  websiteUrl: companyProfileFields.websiteUrl.optional(),
  contactEmail: companyProfileFields.contactEmail.optional(),
  contactPhone: companyProfileFields.contactPhone.optional(),
};

/** The profile as answered. */
export const companyProfileResponseFields = {
  companyName: z.string(),
  websiteUrl: z.string().nullable(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
};
