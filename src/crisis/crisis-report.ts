import type { Locale, Notice } from '../chat/card.js';
import { renderCrisisReportMarkdown } from './report-markdown.js';
import { crisisReportNotice } from './report-notice.js';
import { buildCrisisReport, type CrisisReportData, type CrisisReportModel } from './report.js';

/** The close report in every form: the model to store, the chat notice, the Markdown export. */
export function crisisReport(data: CrisisReportData, locale: Locale, timeZone = 'Europe/Paris'): { model: CrisisReportModel; notice: Notice; markdown: string } {
  const model = buildCrisisReport(data);
  return { model, notice: crisisReportNotice(model, locale, timeZone), markdown: renderCrisisReportMarkdown(model, locale, timeZone) };
}
