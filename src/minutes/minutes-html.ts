import { escapeHtml } from '../mail/mail-layout';
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

/**
 * A printable HTML page of the minutes as the reader may see them. Every value is escaped; the
 * marking is fixed to the top and bottom of every printed page. No scripts, no external assets.
 */
export function renderMinutesHtml(doc: MinutesDocument, partnershipName: string): string {
  const e = (value: string | number) => escapeHtml(String(value));
  const c = doc.content;
  const erased = '<em>[erased under the retention policy]</em>';
  const text = (value: string | null | undefined, fallback = '') =>
    value === null || value === undefined ? fallback : `<span class="text">${e(value)}</span>`;
  const field = (label: string, value: string | null | undefined, fallback?: string) =>
    value === null || value === undefined || value === ''
      ? fallback
        ? `<dt>${e(label)}</dt><dd>${fallback}</dd>`
        : ''
      : `<dt>${e(label)}</dt><dd>${text(value)}</dd>`;
  const counts = (label: string, list: Array<{ label: string; count: number }>) =>
    list.length ? field(label, list.map((x) => `${x.label} ${x.count}`).join('; ')) : '';

  const attendance = c.general.attendance.length
    ? c.general.attendance
        .map(
          (g) =>
            `<h3>${e(g.agency.name)}</h3><ul>${g.attendees.map((a) => `<li>${e(attendeeLine(a))}</li>`).join('')}</ul>`,
        )
        .join('')
    : '<p>No attendance was recorded.</p>';

  const feedback = c.general.agencyFeedback.length
    ? c.general.agencyFeedback
        .map(
          (f) =>
            `<section class="entry"><h3>${e(`${f.reference}: ${f.agency.name} (${f.presenter.name})`)}</h3><dl>` +
            field('Feedback', f.caseText.feedback, erased) +
            field('Response', f.caseText.response, f.responded ? erased : 'not yet recorded') +
            '</dl></section>',
        )
        .join('')
    : '<p>None at this meeting.</p>';

  const t = c.general.themes;
  const q = t.referralQuality;
  const themes =
    `<p>Items discussed: ${e(t.itemsDiscussed)}. Outcomes recorded: ${e(t.outcomesRecorded)}. Carried forward: ${e(t.itemsDeferred)}.</p><dl>` +
    counts('Kinds', t.byKind) +
    counts('Concern categories', t.byConcernCategory) +
    counts('Levels advised', t.byLevelAdvised) +
    counts('Pathways', t.byPathway) +
    (q.reviewed
      ? field(
          'Referral quality',
          `${q.reviewed} reviewed: ${q.timely} timely, ${q.complete} complete, ${q.appropriate} appropriately directed`,
        ) + counts('Referral issues', q.issues)
      : '') +
    field('Chair’s note', t.caseText.note) +
    '</dl>';

  const items = c.items.length
    ? c.items
        .map((item) => {
          const o = item.outcome;
          const quality = o?.referralQuality;
          return (
            `<section class="entry"><h3>${e(`${item.reference}: ${item.kindLabel}`)}</h3><dl>` +
            field('Agency', `${item.agency.name} (presented by ${item.presenter.name})`) +
            field(
              'Slot',
              item.slotIndex !== null ? `${item.slotIndex + 1}, ${formatLondonTime(new Date(item.startsAt))}` : null,
            ) +
            field('Agency reference', item.caseText.agencyReference) +
            field('Age band', item.ageBand) +
            field('Concerns', item.concernCategories.map((x) => x.label).join(', ')) +
            field('Level considered', item.levelConsidered !== null ? `Level ${item.levelConsidered}` : null) +
            field('MASH reference', item.mashReference) +
            field('Referral date', item.referralDate ? formatCalendarDate(item.referralDate) : null) +
            field('Question', item.caseText.question) +
            field('Summary', item.caseText.summary, erased) +
            (o
              ? field(
                  'Level advised',
                  o.levelAdvised !== null ? `Level ${o.levelAdvised}${o.levelLabel ? `: ${o.levelLabel}` : ''}` : null,
                ) +
                field('Pathway', o.pathwayLabel) +
                field('Advice', item.caseText.advice, erased) +
                (quality
                  ? field('Referral timely', yesNo(quality.timely)) +
                    field('Referral complete', yesNo(quality.complete)) +
                    field(
                      'Referral appropriate',
                      quality.appropriate
                        ? 'yes'
                        : `no: misdirected${quality.misdirectedTo ? `, should have gone to ${quality.misdirectedTo}` : ''}`,
                    ) +
                    field('Issues', quality.issues.map((i) => i.label).join(', '))
                  : '')
              : field('Outcome', 'not yet recorded')) +
            '</dl></section>'
          );
        })
        .join('')
    : `<p>${doc.scope === 'full' ? 'No items.' : 'Your agency brought no items to this meeting.'}</p>`;

  const actions = c.actions.length
    ? `<ul>${c.actions
        .map((a) => {
          const lines = actionLines(a);
          return `<li${a.overdue ? ' class="overdue"' : ''}><strong>${e(lines.heading)}</strong><br>${text(a.caseText.description, erased)}${lines.details ? `<br><small>${e(lines.details)}</small>` : ''}</li>`;
        })
        .join('')}</ul>`
    : '<p>No actions.</p>';

  const deferred = c.deferred.length
    ? `<h2>Carried forward to a later meeting</h2><ul>${c.deferred
        .map(
          (d) =>
            `<li>${e(`${d.reference} (${d.agency.name}) to ${d.toMeeting.title}, ${formatLondonDate(new Date(d.toMeeting.startsAt))}${d.placement === 'waitlisted' ? ', on its waiting list' : ''}`)}</li>`,
        )
        .join('')}</ul>`
    : '';

  const versions = doc.versions.length
    ? `<h2>Versions</h2><ul>${doc.versions
        .map(
          (v) =>
            `<li>${e(`Version ${v.version}, ${v.kind === 'approval' ? 'approved' : 'amended'} ${formatLondonDate(new Date(v.createdAt))}${v.reason ? `: ${v.reason}` : ''}`)}</li>`,
        )
        .join('')}</ul>`
    : '';

  const scope = scopeLine(doc);
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${e(minutesTitle(doc))}</title>
<style>
  body { font-family: Arial, sans-serif; font-size: 16px; line-height: 1.45; color: #0b0c0c; max-width: 50em; margin: 0 auto; padding: 3.5em 1em; }
  .marking { font-weight: bold; text-align: center; background: #fff; padding: .4em 0; border-bottom: 2px solid #0b0c0c; }
  .marking.top { position: sticky; top: 0; }
  .marking.bottom { border-top: 2px solid #0b0c0c; border-bottom: 0; }
  .notice { font-size: 14px; text-align: center; }
  .status { font-weight: bold; }
  .text { white-space: pre-wrap; }
  dl { display: grid; grid-template-columns: 12em 1fr; gap: .2em 1em; }
  dt { font-weight: bold; }
  dd { margin: 0; }
  .entry { border-top: 1px solid #b1b4b6; }
  .overdue strong { color: #d4351c; }
  @media print {
    body { padding: 0; max-width: none; font-size: 11pt; }
    .marking.top { position: fixed; top: 0; left: 0; right: 0; }
    .marking.bottom { position: fixed; bottom: 0; left: 0; right: 0; }
    main { margin: 2.5em 0 4em; }
    .entry { break-inside: avoid; }
  }
</style>
</head>
<body>
<div class="marking top" role="note">${e(MINUTES_MARKING)}</div>
<main>
<p>${e(partnershipName)}</p>
<h1>${e(minutesTitle(doc))}</h1>
${meetingLines(doc)
  .map((l) => `<p>${e(l)}</p>`)
  .join('\n')}
<p class="status">${e(statusLine(doc))}</p>
${scope ? `<p>${e(scope)}</p>` : ''}
<h2>Confidentiality</h2>
<p class="text">${e(c.confidentialityStatement)}</p>
<h2>Attendance</h2>
${attendance}
<h2>Agency feedback to children’s social care</h2>
${feedback}
<h2>Themes</h2>
${themes}
<h2>${doc.scope === 'full' ? 'Items' : 'Your agency’s items'}</h2>
${items}
<h2>Actions</h2>
${actions}
${deferred}
${versions}
</main>
<div class="marking bottom" role="note">${e(MINUTES_MARKING)}<div class="notice">${e(CONFIDENTIALITY_FOOTER)}</div></div>
</body>
</html>
`;
}
