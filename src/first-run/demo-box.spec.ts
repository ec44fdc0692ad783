import { demoBox } from './demo-box';
import { DEMO_SIGN_INS } from './first-run.service';

describe('the start-up box while demo data is present', () => {
  it('is a short box on lines of its own, naming the URL, every demo sign-in and the reset', () => {
    const { msg } = demoBox('http://localhost:3000', 'pretty', './data/mail');
    const lines = msg.split('\n').slice(1);
    expect(lines[0]).toMatch(/^┌─+┐$/);
    expect(lines.at(-1)).toMatch(/^└─+┘$/);
    // Every line the same width, and short enough for a terminal.
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0].length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(msg).toContain('http://localhost:3000');
    for (const s of DEMO_SIGN_INS) expect(msg).toContain(s.email);
    expect(msg).toContain('npm run demo:reset');
    expect(msg).toContain('./data/mail');
  });

  it('is one line in JSON logs, with the addresses in the message (never in fields the log redacts)', () => {
    const line = demoBox('http://localhost:3000', 'json', null);
    expect(line.msg).not.toContain('\n');
    for (const s of DEMO_SIGN_INS) expect(line.msg).toContain(s.email);
    expect(line).toMatchObject({ signInUrl: 'http://localhost:3000/sign-in', reset: 'npm run demo:reset' });
  });
});
