// The unit project of package.json on its own, for Stryker (no e2e project, no databases).
const { jest } = require('./package.json');
const { displayName: _name, ...unit } = jest.projects.find((p) => p.displayName === 'unit');
module.exports = { globalSetup: jest.globalSetup, testTimeout: jest.testTimeout, ...unit };
