import { parseSsoProviders } from './sso-providers';

const entra = {
  id: 'northshire-council',
  name: 'Northshire Council (Microsoft)',
  issuer: 'https://login.microsoftonline.com/3f2a6c1e-0000-4000-8000-000000000001/v2.0',
  clientId: 'c0ffee00-0000-4000-8000-000000000002',
  clientSecret: 'a-secret-value',
  domains: ['northshire.gov.uk', 'northshire.sch.uk'],
  autoApproveDomains: ['northshire.gov.uk'],
  emailVerifiedClaim: 'xms_edov',
  singleLogout: true,
};

describe('parseSsoProviders (OIDC_PROVIDERS)', () => {
  it('reads nothing from an unset or blank value', () => {
    expect(parseSsoProviders(undefined)).toEqual({ providers: [], errors: [] });
    expect(parseSsoProviders('  ')).toEqual({ providers: [], errors: [] });
  });

  it('reads a provider with every setting, and gives the defaults for the optional ones', () => {
    const { providers, errors } = parseSsoProviders(
      JSON.stringify([
        entra,
        {
          id: 'google',
          name: 'Google',
          issuer: 'https://accounts.google.com',
          clientId: 'x',
          domains: ['school.sch.uk'],
          hostedDomain: 'school.sch.uk',
        },
      ]),
    );
    expect(errors).toEqual([]);
    expect(providers[0]).toMatchObject(entra);
    expect(providers[1]).toMatchObject({
      id: 'google',
      autoApproveDomains: [],
      emailVerifiedClaim: 'email_verified',
      hostedDomain: 'school.sch.uk',
      singleLogout: false,
    });
    expect(providers[1].clientSecret).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', 'must be a JSON array of providers'],
    ['an object, not an array', JSON.stringify(entra), 'must be a JSON array of providers'],
    ['an array of strings', '["entra"]', 'must be a JSON array of providers'],
  ])('refuses %s', (_what, raw, error) => {
    expect(parseSsoProviders(raw)).toEqual({ providers: [], errors: [error] });
  });

  it('names each bad field by its entry, and never echoes a value', () => {
    const { providers, errors } = parseSsoProviders(
      JSON.stringify([
        { ...entra, id: 'Upper Case', issuer: 'not a url', clientSecret: '' },
        {
          ...entra,
          id: 'second',
          domains: ['School.SCH.UK'],
          autoApproveDomains: ['other.sch.uk'],
          emailVerifiedClaim: 'a b',
        },
      ]),
    );
    expect(providers).toEqual([]);
    expect(errors).toEqual(
      expect.arrayContaining([
        '[0].id: must be 1 to 32 lower-case letters, digits or hyphens',
        '[0].issuer: must be a URL address',
        '[0].clientSecret: must be longer than or equal to 1 characters',
        '[1].domains: each domain must be lower-case, like school.sch.uk',
        '[1].autoApproveDomains: must be among its domains',
        '[1].emailVerifiedClaim: must be a claim name, like email_verified',
      ]),
    );
    expect(errors.join(' ')).not.toContain('a-secret-value');
    expect(errors.join(' ')).not.toContain('not a url');
  });

  it('needs an id per provider, and its name, client id and domains', () => {
    const { errors } = parseSsoProviders(JSON.stringify([entra, entra, { id: 'bare', issuer: 'https://idp.example' }]));
    expect(errors).toEqual(
      expect.arrayContaining([
        'each provider needs its own id',
        '[2].name: must be a string',
        '[2].clientId: must be a string',
        '[2].domains: must be an array',
      ]),
    );
  });

  it('refuses more than 20 providers', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ ...entra, id: `p${i}` }));
    expect(parseSsoProviders(JSON.stringify(many)).errors).toEqual(['at most 20 providers']);
  });
});
