"""The plugin's shape: one import for integrators, and no import cycle between its modules
(views import the helpers; the helpers never import a view)."""

from __future__ import annotations

import ast
from pathlib import Path

import pupil_privacy.plugin as plugin

PLUGIN_DIR = Path(plugin.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PLUGIN_DIR).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("pupil_privacy.plugin", *parts))


def _plugin_imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """The plugin modules that ``path`` imports, at any depth of the file (lazy ones too).

    ``from . import views`` imports the module ``views``, not the package ``.``: a name that
    is a module counts as that module, otherwise the module it is taken from counts.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            subs = [f"{target}.{alias.name}" for alias in node.names]
            targets = [t for t in subs if t in modules] or [target]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t.startswith("pupil_privacy.plugin"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PLUGIN_DIR.rglob("*.py")}
    return {
        name: {t for t in _plugin_imports(path, name, set(modules)) if t in modules and t != name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle in ``graph``, or None. (A package importing its own submodules, as
    ``views/__init__`` does, is not a cycle unless a submodule imports the package back.)"""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_plugin_modules_import_each_other_without_a_cycle() -> None:
    graph = _graph()
    assert "pupil_privacy.plugin.views.family" in graph  # the walk saw the views package
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_helpers_never_import_a_view() -> None:
    graph = _graph()
    helpers = [m for m in graph if ".views" not in m and m != "pupil_privacy.plugin.extension"]
    helpers.remove("pupil_privacy.plugin")  # the package re-exports the extension
    for module in helpers:
        assert not any(".views" in t for t in graph[module]), module


def test_no_plugin_module_is_over_600_lines() -> None:
    long = {
        p.name: n for p in PLUGIN_DIR.rglob("*.py") if (n := len(p.read_text().splitlines())) > 600
    }
    assert long == {}


def test_one_import_gives_an_integrator_everything() -> None:
    from pupil_privacy.plugin import (
        MISAdapter,
        MISRecord,
        MISUser,
        Person,
        PupilDetails,
        PupilLink,
        PupilPrivacy,
        RecordCategory,
        Role,
        UserRole,
    )
    from pupil_privacy.redaction import types
    from pupil_privacy.worker import mis

    assert (MISAdapter, MISRecord, MISUser, PupilDetails, PupilLink, RecordCategory) == (
        mis.MISAdapter,
        mis.MISRecord,
        mis.MISUser,
        mis.PupilDetails,
        mis.PupilLink,
        mis.RecordCategory,
    )
    assert (Person, Role, UserRole) == (types.Person, types.Role, mis.UserRole)
    assert PupilPrivacy.__module__ == "pupil_privacy.plugin.extension"
    assert set(plugin.__all__) >= {
        "PupilPrivacy",
        "MISAdapter",
        "MISUser",
        "PupilLink",
        "PupilDetails",
        "MISRecord",
        "RecordCategory",
        "Person",
        "Role",
    }
    assert all(hasattr(plugin, name) for name in plugin.__all__)
