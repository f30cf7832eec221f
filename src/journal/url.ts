/** Origin and path only: the journal keeps where a run went, not credentials or query parameters in the URL. */
export const safeUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '';
  }
};
