"""``manage.py layout``: the app's packages and modules, each with its docstring's first line."""

from __future__ import annotations

import ast
from pathlib import Path

from django.core.management.base import BaseCommand

import classification

APP_DIR = Path(classification.__file__).resolve().parent
# Listed as a package only: their modules are many and say little on their own.
COLLAPSED = {"migrations"}


def first_line(path: Path) -> str:
    """The first line of a module's docstring, read without importing it ("" when it has none)."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    return docstring.strip().splitlines()[0] if docstring else ""


def layout_lines(directory: Path = APP_DIR, depth: int = 0) -> list[str]:
    """One line per package and module under ``directory``, packages first, in name order."""
    lines = []
    entries = sorted(directory.iterdir())
    packages = [p for p in entries if p.is_dir() and (p / "__init__.py").exists()]
    modules = [p for p in entries if p.suffix == ".py" and p.name != "__init__.py"]
    indent = "  " * depth
    for package in packages:
        lines.append(f"{indent}{package.name + '/':<26}{first_line(package / '__init__.py')}")
        if package.name not in COLLAPSED:
            lines.extend(layout_lines(package, depth + 1))
    for module in modules:
        lines.append(f"{indent}{module.name:<26}{first_line(module)}")
    return lines


class Command(BaseCommand):
    help = "Print the classification app's packages and modules with what each one holds."

    def handle(self, *args, **options):
        self.stdout.write(f"classification/{'':<11}{first_line(APP_DIR / '__init__.py')}")
        for line in layout_lines(depth=1):
            self.stdout.write(line)
