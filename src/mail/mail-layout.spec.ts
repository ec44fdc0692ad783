import { escapeHtml, renderMail } from './mail-layout';

/** The href of the first link in the HTML, with its entities decoded as a mail client would. */
function hrefOf(html: string): string {
  const raw = html.match(/<a href="([^"]*)"/)![1];
  return raw
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
    );
  });

  it('escapes an ampersand first, so entities are not double-decoded', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('leaves ordinary text alone', () => {
    expect(escapeHtml('Zoë O’Brien-Łukasz')).toBe('Zoë O’Brien-Łukasz');
  });
});

describe('renderMail', () => {
  const url = 'https://thresholds.example.org/sign-in/verify?token=AbC_dEf-123&next=%2Fcalendar';
  const hostileName = `<script>alert("x")</script> Jo & 'Bloggs' <img src=x onerror=alert(1)>`;

  // Rendered in each test (not when the file loads), so that Stryker's per-test mutants reach it.
  let mail: ReturnType<typeof renderMail>;
  beforeEach(() => {
    mail = renderMail(
      {
        greeting: `Hello ${hostileName},`,
        paragraphs: ['Your booking <b>moved</b>.', 'Agency: Smith & Sons "Care"'],
        action: { label: 'Sign in <now>', url },
      },
      'Northshire & District <Partnership>',
    );
  });

  it('escapes user-supplied names and every other piece of text in the HTML part', () => {
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Jo &amp; &#39;Bloggs&#39;');
    expect(mail.html).toContain('Your booking &lt;b&gt;moved&lt;/b&gt;.');
    expect(mail.html).toContain('Smith &amp; Sons &quot;Care&quot;');
    expect(mail.html).toContain('Sign in &lt;now&gt;');
    expect(mail.html).toContain('Northshire &amp; District &lt;Partnership&gt;');
    // The only elements are the layout's own.
    const tags = new Set([...mail.html.matchAll(/<\/?([a-z!]+)/gi)].map((m) => m[1].toLowerCase()));
    expect([...tags].sort()).toEqual(['!doctype', 'a', 'body', 'hr', 'html', 'p']);
  });

  it('keeps the words as they are in the text part', () => {
    expect(mail.text).toContain(`Hello ${hostileName},`);
    expect(mail.text).toContain('Agency: Smith & Sons "Care"');
    expect(mail.text).toContain('Northshire & District <Partnership>. Please do not reply');
    expect(mail.text.endsWith('\n')).toBe(true);
  });

  it('carries the same link in the text and the HTML', () => {
    const inText = mail.text.match(/https?:\/\/\S+/g);
    expect(inText).toEqual([url]);
    expect(hrefOf(mail.html)).toBe(url);
    expect(mail.html).toContain('token=AbC_dEf-123&amp;next=%2Fcalendar');
  });

  it('puts the link on a line of its own in the text, after its label', () => {
    expect(mail.text).toContain(`Sign in <now>:\n${url}\n`);
  });

  it('renders the same paragraphs in both parts, in order', () => {
    const simple = renderMail({ greeting: 'Hello Sam,', paragraphs: ['First.', 'Second.'], footer: 'Footer.' }, 'P');
    expect(simple.text).toBe('Hello Sam,\n\nFirst.\n\nSecond.\n\n--\n\nFooter.\n');
    const htmlWords = [...simple.html.matchAll(/<p[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(htmlWords).toEqual(['Hello Sam,', 'First.', 'Second.', 'Footer.']);
    expect(simple.html).not.toContain('<a ');
    expect(simple.html).toMatch(/^<!doctype html><html lang="en">/);
  });

  it('escapes a hostile link so it cannot break out of the attribute', () => {
    const evil = renderMail(
      { paragraphs: [], action: { label: 'Go', url: 'https://x.test/"><script>alert(1)</script>' } },
      'P',
    );
    expect(evil.html).not.toContain('<script>');
    expect(hrefOf(evil.html)).toBe('https://x.test/"><script>alert(1)</script>');
  });

  it('without a greeting or an action, has only the paragraphs and the footer', () => {
    const bare = renderMail({ paragraphs: ['First.', 'Second.'] }, 'Northshire');
    expect(bare.text).toBe('First.\n\nSecond.\n\n--\n\nNorthshire. Please do not reply to this automated message.\n');
    const style = 'font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c';
    expect(bare.html).toBe(
      '<!doctype html><html lang="en"><body>' +
        `<p style="${style}">First.</p>\n` +
        `<p style="${style}">Second.</p>\n` +
        '<hr><p style="font-family:Arial,sans-serif;font-size:14px;color:#505a5f">' +
        'Northshire. Please do not reply to this automated message.</p>' +
        '</body></html>',
    );
  });
});
