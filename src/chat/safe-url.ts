/**
 * Only http(s) URLs from the outside world are offered as links; anything else (javascript:,
 * slack://, discord://…) is shown as text or dropped. `maxLength` is the platform's link limit.
 */
export function safeUrl(url: string | null | undefined, maxLength: number): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
    const href = parsed.toString();
    return href.length <= maxLength ? href : null;
  } catch {
    return null;
  }
}
