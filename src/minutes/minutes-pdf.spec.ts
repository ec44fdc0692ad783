import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { content } from './minutes-content.fixture';
import { renderMinutesPdf } from './minutes-pdf';
import type { MinutesDocument } from './minutes.views';

/**
 * The minutes PDF read back by an independent reader (poppler's pdfinfo, as CI installs it): a
 * tagged PDF whose structure tree holds the headings, paragraphs and lists in reading order, with
 * its language and title; the page markings are artifacts, outside the structure.
 */
describe('the minutes PDF is accessible (tagged)', () => {
  const doc: MinutesDocument = {
    meetingId: 'm1',
    status: 'approved',
    scope: 'full',
    extractFor: null,
    version: 1,
    latestVersion: 1,
    approvedAt: new Date('2027-01-11T15:00:00Z'),
    marking: 'OFFICIAL-SENSITIVE',
    versions: [{ version: 1, kind: 'approval', createdAt: new Date('2027-01-11T15:00:00Z') }],
    content,
  };
  let dir: string;
  let info: string;
  let structure: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'minutes-pdf-'));
    const file = join(dir, 'minutes.pdf');
    writeFileSync(file, await renderMinutesPdf(doc, 'Riverside Safeguarding Children Partnership'));
    info = execFileSync('pdfinfo', [file]).toString('utf8');
    structure = execFileSync('pdfinfo', ['-struct-text', file]).toString('utf8');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a tagged PDF 1.7 with a title', () => {
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^PDF version:\s+1\.7$/m);
    expect(info).toMatch(/^Title:\s+\S/m);
  });

  it('has one H1, then the sections as H2 in reading order', () => {
    const headings = [...structure.matchAll(/^\s*(H[1-3])\b[^\n]*\n\s*"([^"]*)"/gm)].map((m) => [m[1], m[2]]);
    expect(headings.filter(([tag]) => tag === 'H1')).toHaveLength(1);
    expect(headings.filter(([tag]) => tag === 'H2').map(([, text]) => text)).toEqual([
      'Confidentiality',
      'Attendance',
      'Agency feedback to children’s social care',
      'Themes',
      'Items',
      'Actions',
      'Carried forward to a later meeting',
      'Versions',
    ]);
    // Each item is a subheading under "Items", by its reference.
    expect(headings.filter(([tag]) => tag === 'H3').map(([, text]) => text)).toEqual(
      expect.arrayContaining([expect.stringContaining('TRM-a1'), expect.stringContaining('TRM-b1')]),
    );
  });

  it('writes dates and levels in words, never ISO dates or bare codes (GOV.UK style)', () => {
    expect(structure).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(structure).toContain('due 1 February 2027'); // the fixture's actions are due 2027-02-01
    expect(structure).toContain('Level considered: Level 2');
  });

  it('lists attendees as list items, and keeps the page markings out of the structure', () => {
    expect(structure).toMatch(/^\s*L\b/m);
    expect(structure).toMatch(/^\s*LI\b/m);
    expect(structure).toMatch(/^\s*LBody\b[^\n]*\n\s*"Dana/m);
    expect(structure).not.toContain('Page 1 of');
  });
});
