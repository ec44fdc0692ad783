/**
 * The whole suite runs with the host in New York, so anything that leans on the machine's time
 * zone instead of Europe/London shows up as a failure here rather than in production.
 */
export default function globalSetup(): void {
  process.env.TZ = 'America/New_York';
}
