export { renderSummaryMarkdown, SUMMARY_MAX_BYTES, type SummaryOptions } from './summary.js';
export { renderPlanComment, parseCommentMarker, commentMarker, COMMENT_MAX_CHARS, type CommentMarker } from './comment.js';
export {
  ReportFolder,
  toResultsJson,
  reportFolderProblem,
  campaignFolderName,
  maskOutgoingCsv,
  type ResultsJson,
  type SummaryFile,
} from './files.js';
export { escapeMarkdown, formatLocation } from './markdown.js';
export { renderFunnelSummary, renderTestSummary, funnelLines, textBar, type FunnelEntry } from './funnel.js';
export { addChanges, type ChangesSection } from './changes.js';
export { logLine, logText } from './log-line.js';
