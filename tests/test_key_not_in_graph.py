"""Nothing secret in the graph: the record-id key travels to the workers as a
reference (``KeyRef``), in the PII stage's config as in the write stage, and
never as its value. The real pipeline's graph is built (not run) and searched
as a runner receives it: the serialised job and every DoFn, unpacked (Beam
pickles a DoFn, compresses the pickle and base64-encodes it)."""

import base64
import bz2
import zlib

import pytest
from apache_beam.portability import common_urns
from apache_beam.portability.api import beam_runner_api_pb2

from pipelines.eligibility import build_pipeline
from pipelines.options import resolve
from transforms.keys import KeyRef
from transforms.pii.operators import derive_key

KEY_ENV = "KEY_NOT_IN_GRAPH_TEST_RECORD_ID_KEY"
KEY = "graph-test-record-id-key-7Qm2xV9c"


@pytest.fixture
def job(tmp_path, monkeypatch):
    """The pipeline's graph for one tiny input, as sent to a runner."""
    monkeypatch.setenv(KEY_ENV, KEY)
    conversations = tmp_path / "conversations.jsonl"
    conversations.write_text(
        '{"conversation_id": "c1", "user_id": "u1", "source": "chatgpt_free",'
        ' "created_at": 0, "messages": [{"role": "user", "content": "hi"}]}\n'
    )
    config = resolve(
        [
            "--conversations",
            str(conversations),
            "--output",
            str(tmp_path / "out"),
            "--record-id-key",
            f"env:{KEY_ENV}",
            "--runner=FnApiRunner",
            "--as-of",
            "2026-11-24T00:00:00Z",
        ],
        start=1_790_000_000_000_000,
    )
    assert config.pii_config.pseudonym_key_ref == KeyRef("env", KEY_ENV)
    return build_pipeline(config, str(tmp_path / "staging")).to_runner_api(use_fake_coders=True)


def unpacked(encoded: bytes) -> bytes:
    """A pickled DoFn as Beam's pickler wrote it, decompressed."""
    packed = base64.b64decode(encoded)
    try:
        return bz2.decompress(packed)
    except OSError:
        return zlib.decompress(packed)


def do_fns(job) -> dict[str, bytes]:
    """The pickle of every DoFn of the job, by transform name."""
    found = {}
    for transform in job.components.transforms.values():
        if transform.spec.urn == common_urns.primitives.PAR_DO.urn:
            payload = beam_runner_api_pb2.ParDoPayload.FromString(transform.spec.payload)
            found[transform.unique_name] = unpacked(payload.do_fn.payload)
    return found


def test_the_record_id_key_is_not_in_the_job_graph(job):
    pickles = do_fns(job)
    key, pseudonym_key = KEY.encode(), derive_key(KEY.encode())
    forms = [
        key,
        key.hex().encode(),
        base64.b64encode(key),
        pseudonym_key,
        pseudonym_key.hex().encode(),
    ]
    for name, blob in [("the serialised job", job.SerializeToString()), *pickles.items()]:
        assert not [form for form in forms if form in blob], name
    # The search sees the PII stage's config: the key's reference is there.
    pii_stage = [blob for name, blob in pickles.items() if name.startswith("RedactPii/")]
    assert any(KEY_ENV.encode() in blob for blob in pii_stage)
