import { formatCalendarDate, formatLondonDate, formatLondonTime } from '../scheduling/london-format';
import { MINUTES_MARKING } from './minutes-content';
import {
  actionLines,
  attendeeLine,
  CONFIDENTIALITY_FOOTER,
  meetingLines,
  minutesTitle,
  scopeLine,
  statusLine,
  yesNo,
} from './minutes-render';
import type { MinutesDocument } from './minutes.views';
import { pageLabel, toPdfText } from './pdf-text';

const BODY = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/**
 * The minutes as a PDF, exactly as the reader may see them (the document is already filtered).
 * Pages are buffered so that, once the content is laid out, every page gets the marking at top
 * and bottom, the confidentiality notice and "Page n of N". The bottom margin is set to 0 while
 * stamping, otherwise pdfkit would start a new page for text below it.
 */
export async function renderMinutesPdf(doc: MinutesDocument, partnershipName: string): Promise<Buffer> {
  // Loaded when the first PDF is asked for, not at start-up (pdfkit is a tenth of a second to load).
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      bufferPages: true,
      margins: { top: 64, bottom: 80, left: 56, right: 56 },
      // Tagged PDF (PDF 1.7): a structure tree of headings, paragraphs and lists in reading
      // order, the document's language and its title shown in the window, so that a screen
      // reader can navigate it; the page markings are artifacts, outside the structure.
      pdfVersion: '1.7',
      tagged: true,
      displayTitle: true,
      lang: 'en-GB',
      // Metadata: the meeting only, never case text.
      info: {
        Title: toPdfText(minutesTitle(doc)),
        Author: toPdfText(partnershipName),
        Subject: MINUTES_MARKING,
        Keywords: 'OFFICIAL-SENSITIVE',
      },
    });
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);

    const root = pdf.struct('Document');
    pdf.addStructure(root);
    writeContent(pdf, root, doc, partnershipName);
    root.end();
    stampEveryPage(pdf);
    pdf.end();
  });
}

type Pdf = PDFKit.PDFDocument;
type Structure = PDFKit.PDFStructureElement;

function writeContent(pdf: Pdf, root: Structure, doc: MinutesDocument, partnershipName: string): void {
  const c = doc.content;
  /** Draws `draw` as one structure element of `type` (its content marked, in reading order). */
  const tagged = (type: string, draw: () => void) => root.add(pdf.struct(type, {}, draw));
  const write = (value: string, font = BODY, size = 10, options: PDFKit.Mixins.TextOptions = {}) =>
    pdf.font(font).fontSize(size).text(toPdfText(value), options);
  const text = (value: string, font = BODY, size = 10, options: PDFKit.Mixins.TextOptions = {}) =>
    tagged('P', () => write(value, font, size, options));
  const heading = (value: string) => {
    pdf.moveDown(0.8);
    tagged('H2', () => write(value, BOLD, 13));
    pdf.moveDown(0.3);
  };
  const subheading = (value: string) => {
    pdf.moveDown(0.4);
    tagged('H3', () => write(value, BOLD, 11));
  };
  /** A list: each entry one list item (LI with its LBody). */
  const list = (entries: string[]) => {
    if (entries.length === 0) return;
    root.add(
      pdf.struct(
        'L',
        {},
        entries.map((entry) =>
          pdf.struct('LI', {}, [pdf.struct('LBody', {}, () => void write(entry, BODY, 10, { indent: 10 }))]),
        ),
      ),
    );
  };
  const field = (label: string, value: string | null | undefined) => {
    if (value === null || value === undefined || value === '') return;
    tagged('P', () => {
      pdf
        .font(BOLD)
        .fontSize(10)
        .text(toPdfText(`${label}: `), { continued: true });
      pdf.font(BODY).text(toPdfText(value));
    });
  };
  const erased = '[erased under the retention policy]';

  text(partnershipName, BODY, 9);
  tagged('H1', () => write(minutesTitle(doc), BOLD, 16));
  for (const line of meetingLines(doc)) text(line);
  pdf.moveDown(0.3);
  text(statusLine(doc), BOLD, 10);
  const scope = scopeLine(doc);
  if (scope) text(scope, BODY, 10);

  heading('Confidentiality');
  text(c.confidentialityStatement);

  heading('Attendance');
  if (c.general.attendance.length === 0) text('No attendance was recorded.');
  for (const group of c.general.attendance) {
    subheading(group.agency.name);
    list(group.attendees.map((a) => attendeeLine(a)));
  }

  heading('Agency feedback to children’s social care');
  if (c.general.agencyFeedback.length === 0) text('None at this meeting.');
  for (const f of c.general.agencyFeedback) {
    subheading(`${f.reference}: ${f.agency.name} (${f.presenter.name})`);
    field('Feedback', f.caseText.feedback ?? erased);
    field('Response', f.caseText.response ?? (f.responded ? erased : 'not yet recorded'));
  }

  heading('Themes');
  const t = c.general.themes;
  text(
    `Items discussed: ${t.itemsDiscussed}. Outcomes recorded: ${t.outcomesRecorded}. Carried forward: ${t.itemsDeferred}.`,
  );
  const counts = (label: string, list: Array<{ label: string; count: number }>) => {
    if (list.length) field(label, list.map((x) => `${x.label} ${x.count}`).join('; '));
  };
  counts('Kinds', t.byKind);
  counts('Concern categories', t.byConcernCategory);
  counts('Levels advised', t.byLevelAdvised);
  counts('Pathways', t.byPathway);
  if (t.referralQuality.reviewed) {
    const q = t.referralQuality;
    field(
      'Referral quality',
      `${q.reviewed} reviewed: ${q.timely} timely, ${q.complete} complete, ${q.appropriate} appropriately directed`,
    );
    counts('Referral issues', q.issues);
  }
  field('Chair’s note', t.caseText.note);

  heading(doc.scope === 'full' ? 'Items' : 'Your agency’s items');
  if (c.items.length === 0) text(doc.scope === 'full' ? 'No items.' : 'Your agency brought no items to this meeting.');
  for (const item of c.items) {
    subheading(`${item.reference}: ${item.kindLabel}`);
    field('Agency', `${item.agency.name} (presented by ${item.presenter.name})`);
    field(
      'Slot',
      item.slotIndex !== null ? `${item.slotIndex + 1}, ${formatLondonTime(new Date(item.startsAt))}` : null,
    );
    field('Agency reference', item.caseText.agencyReference);
    field('Age band', item.ageBand);
    field('Concerns', item.concernCategories.map((x) => x.label).join(', '));
    field('Level considered', item.levelConsidered !== null ? `Level ${item.levelConsidered}` : null);
    field('MASH reference', item.mashReference);
    field('Referral date', item.referralDate ? formatCalendarDate(item.referralDate) : null);
    field('Question', item.caseText.question);
    field('Summary', item.caseText.summary ?? erased);
    if (!item.outcome) {
      field('Outcome', 'not yet recorded');
      continue;
    }
    const o = item.outcome;
    field(
      'Level advised',
      o.levelAdvised !== null ? `Level ${o.levelAdvised}${o.levelLabel ? `: ${o.levelLabel}` : ''}` : null,
    );
    field('Pathway', o.pathwayLabel);
    field('Advice', item.caseText.advice ?? erased);
    if (o.referralQuality) {
      const q = o.referralQuality;
      field('Referral timely', yesNo(q.timely));
      field('Referral complete', yesNo(q.complete));
      field(
        'Referral appropriate',
        q.appropriate ? 'yes' : `no: misdirected${q.misdirectedTo ? `, should have gone to ${q.misdirectedTo}` : ''}`,
      );
      if (q.issues.length) field('Issues', q.issues.map((i) => i.label).join(', '));
    }
  }

  heading('Actions');
  if (c.actions.length === 0) text('No actions.');
  for (const a of c.actions) {
    const lines = actionLines(a);
    subheading(lines.heading);
    text(a.caseText.description ?? erased);
    if (lines.details) text(lines.details, BODY, 9);
  }

  if (c.deferred.length) {
    heading('Carried forward to a later meeting');
    for (const d of c.deferred) {
      text(
        `${d.reference} (${d.agency.name}) to ${d.toMeeting.title}, ${formatLondonDate(new Date(d.toMeeting.startsAt))}${d.placement === 'waitlisted' ? ', on its waiting list' : ''}`,
      );
    }
  }

  if (doc.versions.length) {
    heading('Versions');
    for (const v of doc.versions) {
      const why = v.reason ? `: ${v.reason}` : '';
      text(
        `Version ${v.version}, ${v.kind === 'approval' ? 'approved' : 'amended'} ${formatLondonDate(new Date(v.createdAt))}${why}`,
      );
    }
  }
}

function stampEveryPage(pdf: Pdf): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    const { width, height, margins } = pdf.page;
    const bottomMargin = margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.markContent('Artifact', { type: 'Pagination' });
    const box = { width: width - margins.left - margins.right, align: 'center' as const, lineBreak: false };
    pdf.font(BOLD).fontSize(10).text(toPdfText(MINUTES_MARKING), margins.left, 30, box);
    pdf
      .font(BODY)
      .fontSize(8)
      .text(toPdfText(CONFIDENTIALITY_FOOTER), margins.left, height - 58, box);
    pdf
      .font(BOLD)
      .fontSize(9)
      .text(
        toPdfText(`${MINUTES_MARKING}   ·   ${pageLabel(i - range.start, range.count)}`),
        margins.left,
        height - 44,
        box,
      );
    pdf.endMarkedContent();
    pdf.page.margins.bottom = bottomMargin;
  }
}
