"""Refuse SQL built by string formatting.

Every ``cr.execute(...)`` and ``SQL(...)`` call in the addons must get its query as a
literal string (parameters passed separately) or as an ``odoo.tools.SQL`` object. An
f-string, ``%`` formatting, ``.format()`` or ``+`` concatenation as the query is an error.

Usage: python setup/check_sql.py DIR [DIR ...]; exits 1 and lists the offending lines.
"""

import ast
import pathlib
import sys

SQL_CALLS = {"execute", "SQL", "executemany"}


def _is_string_built(node):
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _has_string(node.left) or _has_string(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _has_string(node.func.value)
    return False


def _has_string(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _has_string(node.left) or _has_string(node.right)
    return False


def _call_name(node):
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def check_file(path):
    """Return ``(line, message)`` for every SQL call built from strings in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) in SQL_CALLS and node.args:
            if _is_string_built(node.args[0]):
                problems.append((node.lineno, f"{_call_name(node)}() gets a query built from strings"))
    return problems


def main(argv):
    failed = False
    for root in argv or ["."]:
        for path in sorted(pathlib.Path(root).rglob("*.py")):
            for line, message in check_file(path):
                print(f"{path}:{line}: {message}")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
