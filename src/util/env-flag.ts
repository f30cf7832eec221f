/**
 * Whether a yes/no environment variable is on: set to anything but '', '0' or 'false' (in any case),
 * so `CI=1`, `CI=true` and `CI=yes` all count, as CI services and shells set them.
 */
export const envFlag = (value: string | undefined): boolean => value !== undefined && !['', '0', 'false'].includes(value.trim().toLowerCase());

/** Whether the command runs under CI (the `CI` variable that CI services set). */
export const isCI = (env: Record<string, string | undefined>): boolean => envFlag(env.CI);
