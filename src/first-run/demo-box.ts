import { DEMO_SIGN_INS } from './first-run.service';

/**
 * The last thing start-up logs while demo data is present: where to go and who to sign in as.
 * Readable logs get a short box on lines of its own; JSON logs one line with the same facts.
 */
export function demoBox(publicUrl: string, format: 'json' | 'pretty', mailSpoolDir: string | null) {
  const signInUrl = `${publicUrl}/sign-in`;
  const facts = {
    signInUrl,
    demoAccounts: Object.fromEntries(DEMO_SIGN_INS.map((s) => [s.label, s.email])),
    reset: 'npm run demo:reset',
  };
  if (format === 'json') {
    const accounts = DEMO_SIGN_INS.map((s) => `${s.email} (${s.label})`).join(', ');
    return {
      msg: `Demo data: sign in at ${signInUrl} as ${accounts}; the link appears in this log`,
      mailSpoolDir,
      ...facts,
    };
  }
  const lines = [
    `Thresholds: ${publicUrl}`,
    'Demo sign-in (the link appears in this log):',
    ...DEMO_SIGN_INS.map((s) => `  ${s.label.padEnd(12)} ${s.email}`),
    ...(mailSpoolDir ? [`Mail: ${mailSpoolDir}`] : []),
    'Start the demo again: npm run demo:reset',
  ];
  const width = Math.max(...lines.map((l) => l.length));
  const box = [
    `┌${'─'.repeat(width + 2)}┐`,
    ...lines.map((l) => `│ ${l.padEnd(width)} │`),
    `└${'─'.repeat(width + 2)}┘`,
  ];
  return { msg: `Demo data present\n${box.join('\n')}` };
}
