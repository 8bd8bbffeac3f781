/** Requests per minute allowed to each kind of caller of /api; 0 turns that limit off. */
export type RateLimits = {
  /** Per API key. */
  apiKeyPerMinute: number;
  /** Per user, over all of their sessions. */
  userPerMinute: number;
  /** Per client address, for requests without a valid credential (login, sign-up, docs). */
  ipPerMinute: number;
};

/** Generous enough for a dashboard in busy use and a script paging through a report. */
export const DEFAULT_RATE_LIMITS: RateLimits = { apiKeyPerMinute: 600, userPerMinute: 300, ipPerMinute: 60 };

export const NO_RATE_LIMITS: RateLimits = { apiKeyPerMinute: 0, userPerMinute: 0, ipPerMinute: 0 };
