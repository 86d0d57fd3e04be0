"""The app's layout: every package says what it holds, and imports run one way."""

import ast
import io
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

import classification

APP = Path(classification.__file__).resolve().parent
PACKAGES = ("api", "demo", "forms", "imports", "models", "rules", "selectors", "services", "views")


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every ``classification`` module each module of ``package`` imports, as dotted names."""
    found = {}
    for path in sorted((APP / package).glob("*.py")):
        names = set()
        parts = ["classification", package]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = parts[: len(parts) - node.level + 1]
                names.add(".".join(base + ([node.module] if node.module else [])))
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[path.name] = names
    return found


class LayoutTests(SimpleTestCase):
    def test_layout_command_names_every_package_with_its_purpose(self):
        out = io.StringIO()
        call_command("layout", stdout=out)
        lines = out.getvalue().splitlines()
        for package in PACKAGES:
            with self.subTest(package=package):
                [line] = [line for line in lines if line.strip().startswith(f"{package}/")]
                self.assertGreater(len(line.split("/", 1)[1].strip()), 10)

    def test_rules_import_no_model_and_no_database(self):
        for module, names in imported_modules("rules").items():
            with self.subTest(module=module):
                outside = {n for n in names if n.startswith("classification.")}
                self.assertEqual(
                    outside, {n for n in outside if n.startswith("classification.rules")}
                )
                self.assertFalse({n for n in names if n.startswith(("django.db", "django.http"))})

    def test_imports_depend_on_neither_forms_nor_filters(self):
        for module, names in imported_modules("imports").items():
            with self.subTest(module=module):
                self.assertFalse(
                    {
                        n
                        for n in names
                        if n.startswith(("classification.forms", "classification.filters"))
                    }
                )

    def test_models_and_services_import_no_views_forms_or_audit_trail(self):
        wrong = ("classification.views", "classification.forms", "classification.selectors.audit")
        for package in ("models", "services"):
            for module, names in imported_modules(package).items():
                with self.subTest(module=f"{package}/{module}"):
                    self.assertFalse({n for n in names if n.startswith(wrong)})
