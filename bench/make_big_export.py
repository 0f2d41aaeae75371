"""Write a large synthetic ChatGPT ``conversations.json`` (a JSON array), streaming.

    python -m bench.make_big_export SIZE_MB OUT.json [--seed N] [--zip]

Conversations are generated and written one at a time, so memory stays flat whatever
the size. Each has a ``client-created-root``, custom instructions
(``user_editable_context``, hidden), user/assistant turns with a regenerated
(branched) reply, images in ``multimodal_text``, code with ``execution_output``,
``thoughts`` + ``reasoning_recap``, and ``current_node`` on the last branch. Text is
random dictionary-free words: no personal data. The output is deterministic for a
given seed and size. With ``--zip`` the array is written into ``OUT`` as a ZIP export
(``conversations.json`` + ``user.json``) instead.

Used for the adapters' memory benchmark::

    /usr/bin/time -v python -c "from transforms.read.formats import *; ..."
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
import zipfile
from typing import IO, Iterator

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vo",
    "shi",
    "pa",
    "de",
    "zu",
    "ren",
    "gal",
    "tor",
    "fin",
    "bel",
    "os",
    "qui",
    "ax",
    "um",
]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(n)
    )


def _msg(
    nid: str,
    role: str,
    t: float,
    content: dict,
    *,
    name: str | None = None,
    hidden: bool = False,
    recipient: str = "all",
) -> dict:
    return {
        "id": nid,
        "author": {"role": role, "name": name, "metadata": {}},
        "create_time": t,
        "update_time": None,
        "content": content,
        "status": "finished_successfully",
        "end_turn": role == "assistant",
        "weight": 1.0,
        "metadata": {"is_visually_hidden_from_conversation": True} if hidden else {},
        "recipient": recipient,
        "channel": None,
    }


def make_conversation(rng: random.Random, index: int) -> dict:
    conv_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    t0 = 1_700_000_000.0 + index * 37.5
    mapping: dict = {}

    def node_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def add(nid: str, parent: str | None, message: dict | None) -> None:
        mapping[nid] = {"id": nid, "message": message, "parent": parent, "children": []}
        if parent is not None:
            mapping[parent]["children"].append(nid)

    root = "client-created-root"
    add(root, None, None)
    ctx = node_id()
    add(
        ctx,
        root,
        _msg(
            ctx,
            "user",
            None,
            {
                "content_type": "user_editable_context",
                "user_profile": _words(rng, 12),
                "user_instructions": _words(rng, 20),
            },
            hidden=True,
        ),
    )
    parent, t = ctx, t0
    for turn in range(rng.randint(3, 12)):
        t += 10
        uid = node_id()
        if turn % 5 == 2:
            content = {
                "content_type": "multimodal_text",
                "parts": [
                    {
                        "content_type": "image_asset_pointer",
                        "asset_pointer": f"file-service://file-{uid[:8]}",
                        "width": 512,
                        "height": 512,
                    },
                    _words(rng, rng.randint(5, 60)),
                ],
            }
        else:
            content = {"content_type": "text", "parts": [_words(rng, rng.randint(5, 120))]}
        add(uid, parent, _msg(uid, "user", t, content))
        parent = uid
        if turn % 4 == 1:
            th = node_id()
            add(
                th,
                parent,
                _msg(
                    th,
                    "assistant",
                    t + 1,
                    {
                        "content_type": "thoughts",
                        "thoughts": [{"summary": _words(rng, 4), "content": _words(rng, 40)}],
                    },
                ),
            )
            rc = node_id()
            add(
                rc,
                th,
                _msg(
                    rc,
                    "assistant",
                    t + 2,
                    {"content_type": "reasoning_recap", "content": "Thought for 3s"},
                ),
            )
            parent = rc
        if turn % 3 == 0:
            code = node_id()
            add(
                code,
                parent,
                _msg(
                    code,
                    "assistant",
                    t + 3,
                    {"content_type": "code", "language": "python", "text": _words(rng, 30)},
                    recipient="python",
                ),
            )
            out = node_id()
            add(
                out,
                code,
                _msg(
                    out,
                    "tool",
                    t + 4,
                    {"content_type": "execution_output", "text": _words(rng, 15)},
                    name="python",
                ),
            )
            parent = out
        # a first reply, then a regenerated one (a branch); the thread follows the second
        first = node_id()
        add(
            first,
            parent,
            _msg(
                first,
                "assistant",
                t + 5,
                {"content_type": "text", "parts": [_words(rng, rng.randint(20, 300))]},
            ),
        )
        second = node_id()
        add(
            second,
            parent,
            _msg(
                second,
                "assistant",
                t + 6,
                {"content_type": "text", "parts": [_words(rng, rng.randint(20, 300))]},
            ),
        )
        parent = second
    return {
        "title": _words(rng, 4),
        "create_time": t0,
        "update_time": t + 7,
        "mapping": mapping,
        "moderation_results": [],
        "current_node": parent,
        "plugin_ids": None,
        "conversation_id": conv_id,
        "conversation_template_id": None,
        "gizmo_id": None,
        "is_archived": False,
        "safe_urls": [],
        "default_model_slug": "gpt-4o",
        "id": conv_id,
    }


def iter_chunks(size_mb: float, seed: int = 0) -> Iterator[str]:
    """The JSON text of the export in chunks, one conversation per chunk."""
    rng = random.Random(seed)
    target = int(size_mb * 1024 * 1024)
    written = 0
    yield "["
    index = 0
    while written < target:
        chunk = ("," if index else "") + "\n" + json.dumps(make_conversation(rng, index))
        written += len(chunk)
        index += 1
        yield chunk
    yield "\n]\n"


def write_export(out: IO[str], size_mb: float, seed: int = 0) -> int:
    count = 0
    for chunk in iter_chunks(size_mb, seed):
        out.write(chunk)
        count += 1
    return max(count - 2, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size_mb", type=float)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--zip", action="store_true", help="write a ZIP export instead")
    args = parser.parse_args(argv)
    if args.zip:
        with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("user.json", json.dumps({"id": "user-synthetic", "email": None}))
            with zf.open("conversations.json", "w", force_zip64=True) as raw:
                import io

                text = io.TextIOWrapper(raw, encoding="utf-8")
                n = write_export(text, args.size_mb, args.seed)
                text.flush()
                text.detach()
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            n = write_export(f, args.size_mb, args.seed)
    print(f"wrote {n} conversations to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
