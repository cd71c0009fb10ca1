import type { Problem } from '../campaign/types.js';
import type { PlanJson } from '../plan/types.js';
import { maskPhoneNumbersInText } from '../recipients/index.js';

/** GitHub shows at most 10 annotations per severity per step and drops the rest silently. */
export const ANNOTATIONS_PER_SEVERITY = 10;

export interface Annotation {
  severity: 'error' | 'warning';
  message: string;
  properties: { title: string; file: string; startLine?: number; startColumn?: number };
}

export interface AnnotationSelection {
  annotations: Annotation[];
  /** Problems left out because of the limit (they are all in the summary). */
  omitted: { errors: number; warnings: number };
}

/** The first errors and warnings of the plan, as annotations on the campaign file lines. */
export function selectAnnotations(plan: PlanJson, perSeverity = ANNOTATIONS_PER_SEVERITY): AnnotationSelection {
  const errors = plan.campaigns.flatMap((campaign) => campaign.errors);
  const warnings = plan.campaigns.flatMap((campaign) => campaign.warnings);
  return {
    annotations: [
      ...errors.slice(0, perSeverity).map((problem) => toAnnotation('error', problem)),
      ...warnings.slice(0, perSeverity).map((problem) => toAnnotation('warning', problem)),
    ],
    omitted: {
      errors: Math.max(0, errors.length - perSeverity),
      warnings: Math.max(0, warnings.length - perSeverity),
    },
  };
}

function toAnnotation(severity: Annotation['severity'], problem: Problem): Annotation {
  const properties: Annotation['properties'] = {
    title: problem.field ? `sms-campaigns: ${problem.field}` : 'sms-campaigns',
    file: problem.file,
  };
  if (problem.line !== null) {
    properties.startLine = problem.line;
    if (problem.column !== null) properties.startColumn = problem.column;
  }
  return { severity, message: maskPhoneNumbersInText(problem.message), properties };
}

export interface AnnotationSink {
  error(message: string, properties: Annotation['properties']): void;
  warning(message: string, properties: Annotation['properties']): void;
}

export function emitAnnotations(sink: AnnotationSink, selection: AnnotationSelection): void {
  for (const annotation of selection.annotations) sink[annotation.severity](annotation.message, annotation.properties);
}
