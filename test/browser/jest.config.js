/**
 * The browser suite (`npm run test:browser`): real Chromium (/usr/bin/chromium, Debian's
 * `chromium` package) driven by playwright-core, every page checked with axe-core. It has its
 * own config so that `npm test`, whose projects are in package.json, never runs it.
 */
module.exports = {
  rootDir: '../..',
  displayName: 'browser',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testRegex: '\\.browser-spec\\.ts$',
  // As package.json's projects: the ESM-only OpenID Connect libraries are turned into CommonJS.
  transform: { '^.+\\.(t|j|mj)s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  testTimeout: 180000,
};
