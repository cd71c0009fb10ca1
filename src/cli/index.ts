export { main } from './main.js';
export { parseCliArgs, UsageError, USAGE, type CliOptions, type ParsedArgs } from './args.js';
export { cliJson, toStatusJson, type ApplyJson, type StatusJson, type StatusBatchJson } from './json.js';
