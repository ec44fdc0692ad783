/**
 * Plain, accessible e-mails in the partnership's voice: text and HTML parts from the same words.
 * E-mails carry links, never case details; callers pass only times, references and links.
 */
export interface MailContent {
  greeting?: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function renderMail(content: MailContent, partnershipName: string): { text: string; html: string } {
  const footer = content.footer ?? `${partnershipName}. Please do not reply to this automated message.`;
  const textParts = [
    ...(content.greeting ? [content.greeting] : []),
    ...content.paragraphs,
    ...(content.action ? [`${content.action.label}:\n${content.action.url}`] : []),
    '--',
    footer,
  ];
  const p = (s: string) =>
    `<p style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c">${escapeHtml(s)}</p>`;
  const htmlParts = [
    ...(content.greeting ? [p(content.greeting)] : []),
    ...content.paragraphs.map(p),
    ...(content.action
      ? [
          `<p style="font-family:Arial,sans-serif;font-size:16px"><a href="${escapeHtml(content.action.url)}" style="color:#1d70b8">${escapeHtml(content.action.label)}</a></p>`,
        ]
      : []),
    `<hr><p style="font-family:Arial,sans-serif;font-size:14px;color:#505a5f">${escapeHtml(footer)}</p>`,
  ];
  return {
    text: textParts.join('\n\n') + '\n',
    html: `<!doctype html><html lang="en"><body>${htmlParts.join('\n')}</body></html>`,
  };
}
