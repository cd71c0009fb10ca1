import type { CampaignData } from './data.js';
import type { MessageAnalysis, NonGsmCharacter, Problem } from './types.js';
import type { FieldPath } from './yaml-source.js';

/** Where the checks put what they find; `at` builds a problem at a field's value. */
export interface ProblemSink {
  errors: Problem[];
  warnings: Problem[];
  at(path: FieldPath, field: string, message: string): Problem;
}

/** Sender, STOP clause and reply rules; `message` is the normalised text. */
export function checkSender(data: CampaignData, message: string, sink: ProblemSink): void {
  const senderForResponse = data.senderForResponse ?? false;
  if (data.type === 'marketing' && data.noStop === true) {
    sink.errors.push(
      sink.at(['noStop'], 'noStop', 'marketing campaigns must carry the STOP clause: remove `noStop: true` or use `type: transactional`'),
    );
  }
  if (data.from === undefined && !senderForResponse) {
    sink.errors.push(sink.at([], 'from', 'missing sender: set `from` (alphanumeric sender or E.164 number) or `senderForResponse: true`'));
  }
  if (senderForResponse && data.from !== undefined) {
    sink.warnings.push(sink.at(['from'], 'from', '`from` is ignored: with `senderForResponse: true` OVH picks the sender'));
  }
  if (senderForResponse && containsUrl(message)) {
    sink.errors.push(
      sink.at(
        ['message'],
        'message',
        'the message contains a URL: OVH blocks URLs from reply-capable short numbers (`senderForResponse: true`)',
      ),
    );
  }
  if (data.type === 'marketing' && data.from !== undefined && /^\+33[67]/.test(data.from)) {
    sink.warnings.push(
      sink.at(
        ['from'],
        'from',
        'marketing SMS from a French mobile number (06/07) are banned by the operators (ARCEP 18-0881): use an alphanumeric sender or a short code',
      ),
    );
  }
}

const URL_PATTERN =
  /\b(?:https?:\/\/|www\.)\S|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|net|org|eu|io|info|biz|co|me|ly|gl|be|ch|ca|de|shop|store|app|dev|link|page|site)\b(?:\/\S*)?/i;

function containsUrl(message: string): boolean {
  return URL_PATTERN.test(message);
}

const CHARACTER_NAMES: Record<string, string> = {
  '\u00a0': 'no-break space U+00A0',
  '\u202f': 'narrow no-break space U+202F',
  '\u2009': 'thin space U+2009',
  '\u200b': 'zero-width space U+200B',
  '\t': 'tab',
};

function showCharacter(char: string): string {
  const name = CHARACTER_NAMES[char];
  if (name !== undefined) return name;
  if (/^[\p{C}\p{Z}]$/u.test(char)) return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${char}”`;
}

/** `“ê” (character 12), “’” (characters 30, 45)`: each offending character once, with 1-based positions. */
export function describeNonGsmCharacters(characters: NonGsmCharacter[]): string {
  const positions = new Map<string, number[]>();
  for (const { char, index } of characters) positions.set(char, [...(positions.get(char) ?? []), index + 1]);
  const shown = [...positions].slice(0, 10).map(([char, at]) => {
    const list = at.slice(0, 5).join(', ') + (at.length > 5 ? ', …' : '');
    return `${showCharacter(char)} (character${at.length > 1 ? 's' : ''} ${list})`;
  });
  const more = positions.size > 10 ? ` and ${positions.size - 10} more` : '';
  return `${shown.join(', ')}${more}`;
}

export function describeLength(analysis: MessageAnalysis, noStop: boolean): string {
  const unit = analysis.encoding === 'GSM-7' ? 'GSM-7 characters' : 'UCS-2 characters';
  return `${analysis.characters} ${unit}${noStop ? '' : ' with the STOP clause'}`;
}
