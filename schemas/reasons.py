"""Reason codes recorded in the audit, named as in POLICY.md.

Every conversation record ends in exactly one place: the dataset, one exclusion
reason below, or the dead-letter output (with a dead-letter stage below).
"""

# Exclusion reasons, in the precedence order of POLICY.md (first match wins).
DUPLICATE_RECORD = "duplicate_record"
ACCOUNT_DELETED = "account_deleted"  # D1
CONVERSATION_DELETED = "conversation_deleted"  # D2
TEMPORARY_CHAT = "temporary_chat"  # T1
UNKNOWN_SOURCE = "unknown_source"  # U1
FINE_TUNE_UPLOAD = "fine_tune_upload"  # F1
CREATED_AFTER_AS_OF = "created_after_as_of"  # X1
API_NOT_OPTED_IN = "api_not_opted_in"  # A1
API_OPTED_OUT = "api_opted_out"  # A2
TEAM_NOT_OPTED_IN = "team_not_opted_in"  # B1
ENTERPRISE_NOT_OPTED_IN = "enterprise_not_opted_in"  # B1
USER_OPTED_OUT = "user_opted_out"  # C1
EMPTY_AFTER_TRIM = "empty_after_trim"  # C2
# P1: optional PII-stage policies that exclude a redacted record.
PII_DENSITY_EXCEEDED = "pii_density_exceeded"
UNSUPPORTED_LANGUAGE = "unsupported_language"

# Dead-letter stages and error codes.
STAGE_READ = "read"
STAGE_VALIDATE = "validate"  # V1 invalid_record
STAGE_DEDUPLICATE = "deduplicate"  # conflicting copies of one conversation_id
STAGE_PII = "pii"  # pii_failed, residual_pii
INVALID_RECORD = "invalid_record"
UNREADABLE_INPUT = "unreadable_input"  # a whole file or archive that cannot be read safely
CONFLICTING_DUPLICATE = "conflicting_duplicate"
PII_FAILED = "pii_failed"
RESIDUAL_PII = "residual_pii"

# Control-event inputs, as named in the audit and in dead-letter stages.
CONSENT_EVENTS = "consent_events"
SHARING_EVENTS = "sharing_events"
DELETIONS = "deletions"
CONTROL_INPUTS = (CONSENT_EVENTS, SHARING_EVENTS, DELETIONS)

# Message-level counters (C2); they describe written conversations only.
MESSAGES_TRIMMED_AFTER_OPT_OUT = "messages_trimmed_after_opt_out"
MESSAGES_TRIMMED_AFTER_AS_OF = "messages_trimmed_after_as_of"
