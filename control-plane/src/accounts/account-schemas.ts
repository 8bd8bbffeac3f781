import { z } from 'zod';
import { passwordSchema } from '../auth/passwords.ts';
import { roleSchema } from '../auth/roles.ts';

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .describe('Email address (case-insensitive)');

const nameSchema = z.string().trim().max(100).nullish();

export const registerRequestSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    role: z.enum(['advertiser', 'affiliate']).describe('Admins are created by other admins'),
    companyName: z.string().trim().min(1).max(200),
    firstName: nameSchema,
    lastName: nameSchema,
    websiteUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullish(),
  })
  .describe('A new advertiser or affiliate account, with its company')
  .meta({ id: 'RegisterRequest' });
export type RegisterRequest = z.input<typeof registerRequestSchema>;

export const verificationSentResponseSchema = z
  .object({ status: z.literal('verification_sent') })
  .describe(
    'The same answer whether or not the address already has an account: a new account gets a ' +
      'verification link, an existing one a notice, both by email',
  )
  .meta({ id: 'VerificationSent' });

export const verifyEmailRequestSchema = z
  .object({
    token: z.string().min(16).max(256).describe('The token of the emailed link'),
    password: z
      .string()
      .min(1)
      .max(256)
      .describe('The password chosen at sign-up: the link alone logs nobody in'),
  })
  .describe('A one-time email verification token, with the password of its account')
  .meta({ id: 'VerifyEmailRequest' });

export const resendVerificationRequestSchema = z
  .object({ email: emailSchema })
  .describe('The address of an account waiting for verification')
  .meta({ id: 'ResendVerificationRequest' });

export const userCreateRequestSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    role: roleSchema,
    firstName: nameSchema,
    lastName: nameSchema,
    advertiserId: z
      .number()
      .int()
      .min(1)
      .nullish()
      .describe('For role advertiser: the advertiser it acts for'),
    affiliateId: z.number().int().min(1).nullish().describe('For role affiliate: the affiliate it acts for'),
  })
  .describe('A user created by an admin (any role)')
  .meta({ id: 'UserCreateRequest' });
export type UserCreateRequest = z.input<typeof userCreateRequestSchema>;

export const userResponseSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleSchema,
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    isActive: z.boolean(),
    advertiserId: z.number().int().nullable(),
    affiliateId: z.number().int().nullable(),
    createdAt: z.iso.datetime(),
  })
  .describe('A user account')
  .meta({ id: 'User' });
export type UserResponse = z.infer<typeof userResponseSchema>;

export const loginRequestSchema = z
  .object({ email: emailSchema, password: z.string().min(1).max(256) })
  .describe('Email and password')
  .meta({ id: 'LoginRequest' });

export const tokenPairSchema = z
  .object({
    accessToken: z.string().describe('JWT for Authorization: Bearer, valid expiresIn seconds'),
    refreshToken: z.string().describe('One-time token for POST /api/v1/auth/refresh'),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
  })
  .describe('Access and refresh tokens')
  .meta({ id: 'TokenPair' });

export const sessionResponseSchema = z
  .object({ user: userResponseSchema, tokens: tokenPairSchema })
  .meta({ id: 'SessionResponse' });

export const refreshRequestSchema = z
  .object({ refreshToken: z.string().min(16).max(256) })
  .meta({ id: 'RefreshRequest' });

export const passwordResetRequestSchema = z
  .object({ email: emailSchema })
  .meta({ id: 'PasswordResetRequest' });

export const passwordResetConfirmSchema = z
  .object({ token: z.string().min(16).max(256), password: passwordSchema })
  .meta({ id: 'PasswordResetConfirm' });
