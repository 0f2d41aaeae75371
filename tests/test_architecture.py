"""The stages stay apart: a stage package under transforms/ imports schemas/, the
shared modules (transforms/outcomes.py: where records end up; transforms/keys.py:
the record-id key by reference) and itself, never another stage."""

from __future__ import annotations

import ast
from pathlib import Path

TRANSFORMS = Path(__file__).resolve().parents[1] / "transforms"
SHARED = {"transforms.outcomes", "transforms.keys"}


def stage_imports(path: Path) -> set[str]:
    """The ``transforms.*`` modules a file imports (absolute and relative)."""
    package = "transforms." + ".".join(path.relative_to(TRANSFORMS).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return {name for name in found if name.startswith("transforms.")}


def test_no_stage_imports_another_stage():
    stages = sorted(p.name for p in TRANSFORMS.iterdir() if (p / "__init__.py").exists())
    assert {"read", "policy", "pii", "write", "audit"} <= set(stages)
    crossings = []
    for stage in stages:
        for path in sorted((TRANSFORMS / stage).rglob("*.py")):
            for name in stage_imports(path) - SHARED:
                if not name.startswith(f"transforms.{stage}"):
                    crossings.append(f"{path.relative_to(TRANSFORMS)} imports {name}")
    assert crossings == []


def test_the_shared_modules_import_no_stage():
    for name in SHARED:
        assert stage_imports(TRANSFORMS / f"{name.split('.')[-1]}.py") == set()
