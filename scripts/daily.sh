#!/usr/bin/env bash
# One day of the schedule, for teams without Airflow (cron + make; the same steps as
# deploy/airflow/training_eligibility_dag.py):
#
#   1. the day's eligibility run: EXPORTS/<DAY>/ -> OUT/<DAY>/, as of <DAY>T00:00:00Z,
#      --overwrite (a rerun replaces the day), retried;
#   2. the dead-letter check of that run (pipelines.check_run), when it completed;
#   3. apply_deletions over every retained run folder (OUT/*) with every retained day's
#      deletion requests, as of the same instant, retried; it runs even when step 1
#      failed: deletions propagate whatever happens to the new day.
#
# Exits non-zero when any step failed. Usage (see README, "Scheduled runs"):
#
#   make daily DAY=2026-11-24
#   PY=.venv/bin/python EXPORTS=/data/exports OUT=/data/out scripts/daily.sh 2026-11-24
#
# crontab (02:15 UTC each day, for the day that just started):
#   15 2 * * * cd /opt/training-eligibility && make daily DAY=$(date -u +\%F) >> logs/daily.log 2>&1
set -uo pipefail

DAY="${1:-$(date -u +%F)}"
PY="${PY:-.venv/bin/python}"
EXPORTS="${EXPORTS:-exports}"
OUT="${OUT:-out}"
DEAD_LETTERS="${DEAD_LETTERS:-dead_letters}"
MAX_DEAD_LETTER_RATE="${MAX_DEAD_LETTER_RATE:-0.02}"
RETRIES="${RETRIES:-2}"
RETRY_DELAY="${RETRY_DELAY:-600}"
read -r -a RUNNER <<< "${RUNNER:---runner=FnApiRunner --direct_running_mode=multi_processing --direct_num_workers=2}"
AS_OF="${DAY}T00:00:00Z"

# Run a command, retrying a failed run (exit 1 or a signal) up to RETRIES times; a
# usage error (2) or overdue deletions (3) would fail the same way again.
retry() {
  local attempt=0 status
  while true; do
    "$@"
    status=$?
    if [ "$status" -eq 0 ] || [ "$status" -eq 2 ] || [ "$status" -eq 3 ] \
        || [ "$attempt" -ge "$RETRIES" ]; then
      return "$status"
    fi
    attempt=$((attempt + 1))
    echo "daily: attempt $attempt failed (exit $status); retrying in ${RETRY_DELAY}s" >&2
    sleep "$RETRY_DELAY"
  done
}

failed=0
echo "daily: eligibility run of $DAY" >&2
if retry "$PY" -m pipelines.eligibility \
    --conversations "$EXPORTS/$DAY/conversations-*" \
    --consent-events "$EXPORTS/$DAY/consent_events-*" \
    --sharing-events "$EXPORTS/$DAY/sharing_events-*" \
    --deletions "$EXPORTS/$DAY/deletions-*" \
    --as-of "$AS_OF" --output "$OUT/$DAY" --overwrite "${RUNNER[@]}"; then
  "$PY" -m pipelines.check_run "$OUT/$DAY" --max-dead-letter-rate "$MAX_DEAD_LETTER_RATE" \
    || failed=1
else
  failed=1
fi
echo "daily: deletions into every run under $OUT" >&2
retry "$PY" -m pipelines.apply_deletions --runs "$OUT/*" \
  --deletions "$EXPORTS/*/deletions-*" --as-of "$AS_OF" \
  --dead-letter "$DEAD_LETTERS/$DAY" --fail-on-overdue "${RUNNER[@]}" || failed=1
exit "$failed"
