import { ErrorCode, VigieError } from '../../core/errors.js';

/** Where a query sits, so an error can name it: a rule id and, when known, the file and line. */
export interface QueryOrigin {
  ruleId?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
}

/**
 * A query that does not parse. The message names the rule, gives the line and column, and shows the
 * query with a caret under the offending character, e.g.
 * `rules/default.yaml:12 rule "bomb-alert", column 9: expected ")"` then the query and `^`.
 */
export class RuleSyntaxError extends VigieError {
  readonly column: number;
  readonly reason: string;
  constructor(query: string, offset: number, reason: string, origin: QueryOrigin = {}) {
    const lineStart = query.lastIndexOf('\n', offset - 1) + 1;
    const lineEndRaw = query.indexOf('\n', offset);
    const lineEnd = lineEndRaw === -1 ? query.length : lineEndRaw;
    const queryLine = query.slice(0, lineStart).split('\n').length;
    const column = offset - lineStart + 1;
    const where = [
      origin.file ? `${origin.file}${origin.line ? `:${origin.line}` : ''}` : null,
      origin.ruleId ? `rule "${origin.ruleId}"` : null,
      queryLine > 1 ? `query line ${queryLine}, column ${column}` : `column ${column}`,
    ]
      .filter((s) => s !== null)
      .join(' ');
    const shown = query.slice(lineStart, lineEnd);
    super(ErrorCode.RuleSyntax, `${where}: ${reason}\n  ${shown}\n  ${' '.repeat(column - 1)}^`);
    this.name = 'RuleSyntaxError';
    this.column = column;
    this.reason = reason;
  }
}
