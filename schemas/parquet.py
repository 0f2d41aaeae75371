"""Explicit pyarrow schemas of every Parquet input and output (documented in README).

The dataset carries no user, org or workspace identifier; ``record_id`` is a
keyed HMAC of the conversation id that cannot be reversed without the key.
Lineage and dead letters are access-restricted, like the raw input.
"""

import pyarrow as pa

MESSAGE = pa.struct([("role", pa.string()), ("content", pa.string())])

DATASET = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("created_date", pa.date32(), nullable=False),
        pa.field("messages", pa.list_(MESSAGE), nullable=False),
    ]
)

LINEAGE = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("conversation_id", pa.string(), nullable=False),
        pa.field("user_id", pa.string()),
        pa.field("org_id", pa.string()),
        pa.field("workspace_id", pa.string()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("created_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("input_location", pa.string()),
    ]
)

# One row per dataset record: what was replaced where, never the original value.
REDACTION = pa.struct(
    [
        ("message_index", pa.int32()),
        ("entity_type", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("score", pa.float64()),
        ("recognizer", pa.string()),
        ("operator", pa.string()),
    ]
)

REDACTIONS = pa.schema(
    [
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("redactions", pa.list_(REDACTION), nullable=False),
    ]
)

DEAD_LETTER = pa.schema(
    [
        pa.field("stage", pa.string(), nullable=False),
        pa.field("error", pa.string(), nullable=False),
        pa.field("input_location", pa.string()),
        pa.field("conversation_id", pa.string()),
        pa.field("raw", pa.string()),
    ]
)

# Canonical conversations as Parquet input (DATA.md). Timestamps may also be
# RFC 3339 strings or epoch seconds; message content here is a plain string.
CONVERSATION_INPUT = pa.schema(
    [
        pa.field("conversation_id", pa.string()),
        pa.field("user_id", pa.string()),
        pa.field("workspace_id", pa.string()),
        pa.field("org_id", pa.string()),
        pa.field("source", pa.string()),
        pa.field("is_temporary", pa.bool_()),
        pa.field("created_at", pa.timestamp("us", tz="UTC")),
        pa.field("updated_at", pa.timestamp("us", tz="UTC")),
        pa.field("deleted_at", pa.timestamp("us", tz="UTC")),
        pa.field(
            "messages",
            pa.list_(
                pa.struct(
                    [
                        ("message_id", pa.string()),
                        ("role", pa.string()),
                        ("created_at", pa.timestamp("us", tz="UTC")),
                        ("content", pa.string()),
                    ]
                )
            ),
        ),
    ]
)

CONSENT_EVENT_INPUT = pa.schema(
    [
        pa.field("user_id", pa.string()),
        pa.field("training_enabled", pa.bool_()),
        pa.field("changed_at", pa.timestamp("us", tz="UTC")),
        pa.field("via", pa.string()),
    ]
)

SHARING_EVENT_INPUT = pa.schema(
    [
        pa.field("scope", pa.string()),
        pa.field("id", pa.string()),
        pa.field("sharing_enabled", pa.bool_()),
        pa.field("changed_at", pa.timestamp("us", tz="UTC")),
    ]
)

DELETION_INPUT = pa.schema(
    [
        pa.field("kind", pa.string()),
        pa.field("user_id", pa.string()),
        pa.field("conversation_id", pa.string()),
        pa.field("requested_at", pa.timestamp("us", tz="UTC")),
    ]
)
