"""The layout the README describes: imports run campaign → feature apps → lib →
Django, and no two modules import each other, even from inside a function."""

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["campaign", "prisoners", "appeals", "petitions", "news", "events", "lib"]
FEATURE_APPS = ["prisoners", "appeals", "petitions", "news", "events"]


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules():
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imports_of(name, path, modules):
    """Every module of ours that `name` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports pkg.mod when that is a module of ours, else pkg.
            # Each name counts: `from . import forms, services` imports both.
            names = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for candidate in names:
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


@pytest.fixture(scope="module")
def graph():
    modules = our_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def test_the_walk_counts_every_name_of_a_from_import(tmp_path):
    modules = {"pkg": None, "pkg.a": None, "pkg.b": None, "pkg.c": None}
    path = tmp_path / "c.py"
    path.write_text("from . import a, b\n")
    assert imports_of("pkg.c", path, modules) == {"pkg.a", "pkg.b"}


def test_the_walk_finds_every_app_and_its_imports(graph):
    # A walk that found nothing would pass every test below.
    assert {"appeals.views", "petitions.services", "lib.pdf", "campaign.urls"} <= set(graph)
    assert "appeals.models" in graph["appeals.views"]
    assert "lib.preview" in graph["petitions.views"]


@pytest.mark.parametrize("app", FEATURE_APPS)
def test_no_feature_app_imports_the_project_package(graph, app):
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if name.split(".")[0] == app
        for target in targets
        if target.split(".")[0] == "campaign"
    )
    assert upward == []


def test_lib_imports_no_app_of_ours(graph):
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if name.startswith("lib")
        for target in targets
        if target.split(".")[0] != "lib"
    )
    assert upward == []


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_two_modules_import_each_other(graph):
    assert cycles(graph) == []


def test_the_readmes_map_names_every_folder_of_the_tree():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    folders = {line.split("/")[0] for line in tracked.splitlines() if "/" in line and not line.startswith(".")}
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## What is where", 1)[1].split("\n\n", 2)[1]
    mapped = {row.split("`")[1].rstrip("/") for row in table.splitlines() if row.startswith("| `")}
    assert folders == mapped
