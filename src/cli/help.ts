/** What `driftwatch --help` and `driftwatch COMMAND --help` print. */
import { VERSION } from '../core/version.ts';

const LOG_FORMAT = '  --log-format F     auto (lines for people on a terminal, JSON otherwise), json or human';

export const COMMAND_HELP: Record<string, string> = {
  run: `Usage: driftwatch run --config FILE [--log-format F]

Runs the daemon: a cycle at start, then one per \`schedule\`; serves /, /metrics, /report.json,
/healthz and /readyz on server.port; delivers alerts; SIGHUP reloads the config, SIGTERM stops.

  -c, --config FILE  the config file (see config/driftwatch.example.yaml)
${LOG_FORMAT}`,
  once: `Usage: driftwatch once --config FILE [--at ISO-8601] [--json] [--dry-run] [--fail-on-drift] [--log-format F]

One evaluation cycle, then exit. Prints a table (or the JSON report with --json) on stdout; logs on stderr.

  -c, --config FILE  the config file
  --at TIME          evaluate as if it were TIME (default: now)
  --json             print the JSON report (the public contract) instead of the table
  --dry-run          send and save nothing
  --fail-on-drift    exit 1 when anything drifts
${LOG_FORMAT}

Exit codes: 0 ok; 1 drift with --fail-on-drift; 2 config or source error, or nothing judged; 3 some signals failed.`,
  backtest: `Usage: driftwatch backtest --config FILE --from T1 --to T2 [--step 1h] [--json] [--set path=value …] [--sweep path=V1,V2,… …]

Replays cycles over history with the current thresholds and alert hygiene, sending nothing, and
reports when each signal would have drifted and when alerts would have opened and resolved.
Progress (rollups, cycles done, ETA) goes to stderr. openAfter and resolveAfter count replayed
cycles: with a --step other than the schedule's period, alerts open and resolve on another clock
(a warning says so).

  -c, --config FILE  the config file
  --from, --to TIME  the replayed range (ISO-8601)
  --step DURATION    time between replayed cycles (default 1h)
  --json             print the result as JSON
  --set PATH=VALUE   try another value of a config key, e.g. --set alerting.openAfter=3 (repeatable)
  --sweep PATH=V1,V2,…
                     replay once for every value (repeatable: every combination, at most 50) and
                     print one line per value: alerts opened, the first, their modes and subjects
${LOG_FORMAT}`,
  'check-config': `Usage: driftwatch check-config --config FILE [--connect] [--print]

Validates a config file: every key, URL schemes, UUIDs, writable directories, eval-set files and
the environment variables of the features it turns on. Prints one line per check and exits 2 on
any problem.

  -c, --config FILE  the config file (a bare FILE, as earlier releases took it, works too)
  --connect          also reach ClickHouse (version, tables, column types, that this user can run
                     driftwatch's queries), Linear and Slack, each with a harmless read
  --print            also print the effective config (defaults filled in, secrets redacted)`,
  promote: `Usage: driftwatch promote --config FILE --alert FINGERPRINT (--pattern NAME … | --all) [--to FILE] [--dry-run]

Appends the representative traces of an alert's failure patterns to the eval set as rows of
input, intent (when the trace has one), trace id and pattern name, skipping any trace or input
already there. Reads the alert from the alert state (alerting.stateDir) and the inputs from the
traces' root spans.

  -c, --config FILE  the config file
  --alert FP         the alert's fingerprint (shown at the end of every alert), or 6+ leading characters
  --pattern NAME     a pattern of that alert, as the alert names it (repeatable)
  --all              every pattern of that alert
  --to FILE          the JSONL or CSV file to append to (default signals.dataset.evalSet.path)
  --dry-run          print the rows, write nothing

Exit codes: 0 ok (also when every row was already there); 2 no such alert or pattern, or no eval-set file.`,
  healthcheck: `Usage: driftwatch healthcheck --config FILE

For container health checks: asks the daemon's /healthz on the host and port the config names
(server.host, server.port). Exit 0 when it answers, 1 when it does not.`,
  demo: `Usage: driftwatch demo [--dir DIR] [--port N]

Writes a week of traces from six agents, each meeting one drift mode at a known time, into an
embedded engine under DIR, and runs the daemon on it, writing each minute's traffic as it passes.
DIR must be empty or a directory an earlier demo made.

  --dir DIR          where the demo keeps its engine, config and alerts (default .driftwatch/demo)
  --port N           the HTTP port (default 9464)
${LOG_FORMAT}`,
};

export const USAGE = `driftwatch ${VERSION}: tells you when production traces drift away from what your evals test.

Usage:
  driftwatch run --config FILE                 run the daemon
  driftwatch once --config FILE [--json]       one evaluation cycle, then exit
  driftwatch backtest --config FILE --from T1 --to T2
                                               replay cycles over history, sending nothing
  driftwatch check-config --config FILE        validate a config file (and reach what it names)
  driftwatch demo [--dir DIR] [--port N]       a week of traces in every drift mode, and the daemon on it
  driftwatch promote --config FILE --alert FP --all
                                               append an alert's failure patterns to the eval set
  driftwatch healthcheck --config FILE         exit 0 when the daemon's /healthz answers (container health checks)
  driftwatch COMMAND --help                    the options of one command
  driftwatch --version

Exit codes: 0 ok; 1 drift found (once --fail-on-drift); 2 config or trace-source error, or nothing
could be judged (no spans in the current window, every signal failed); 3 some signals failed.`;
