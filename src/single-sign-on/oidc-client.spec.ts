import { isUnreachable } from './oidc-client';

describe('isUnreachable: a provider that cannot be reached, not a verdict on its answer', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) as NodeJS.ErrnoException;

  it.each([
    ['fetch failing to connect', new TypeError('fetch failed', { cause: refused() })],
    ['a refused connection', refused()],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' })],
    [
      'an unknown host, wrapped',
      new Error('discovery', { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
    ],
  ])('%s', (_what, err) => {
    expect(isUnreachable(err)).toBe(true);
  });

  it.each([
    ['a bad signature', new Error('JWS signature verification failed')],
    ['an unexpected audience', new Error('unexpected JWT "aud" (audience) claim value')],
    ['not an error', 'fetch failed'],
  ])('%s is not', (_what, err) => {
    expect(isUnreachable(err)).toBe(false);
  });
});
