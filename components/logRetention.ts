/**
 * Retention periods CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`, AWS CloudWatch Logs API
 * reference); anything else fails at deploy time.
 */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const isLogRetentionDays = (days: number): boolean => (LOG_RETENTION_DAYS as readonly number[]).includes(days);

/** Why CloudWatch Logs would refuse this retention, or undefined. */
export function logRetentionProblem(days: number): string | undefined {
  return isLogRetentionDays(days) ? undefined : `${days} is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")}`;
}
