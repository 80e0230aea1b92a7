"""Static security checks of the addons' source, without a server.

- every ``.sudo()`` in a controller follows an access check (portal token, record access,
  API key) or carries a ``# sudo:`` comment saying why it is safe;
- no SQL query is built by string formatting (the rule of ``setup/check_sql.py``).
"""

import ast
import importlib.util
import io
import pathlib
import tokenize

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ("credit_relance", "credit_litige", "credit_community")
# calls that check the caller's right to what the route returns
ACCESS_CHECKS = {
    "_document_check_access", "check_access", "check_access_rights", "check_access_rule", "_check_access",
    "has_access", "_authenticate", "_authenticate_member", "_serve",
}
JUSTIFICATION = "# sudo:"


def _controller_files():
    return sorted(path for addon in ADDONS for path in (ROOT / addon / "controllers").glob("*.py"))


def _comments(source):
    """``{line number: comment text}`` of a Python source."""
    return {
        token.start[0]: token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }


def _is_route(function):
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "route":
            return True
    return False


def _call_name(node):
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return ""


def _justified(line, comments):
    """A ``# sudo:`` comment on the line, or in the comment block right above it."""
    if JUSTIFICATION in comments.get(line, ""):
        return True
    above = line - 1
    while above in comments:
        if JUSTIFICATION in comments[above]:
            return True
        above -= 1
    return False


def unchecked_sudo(source, filename="<controller>"):
    """Lines of ``.sudo()`` calls in route functions with neither a preceding access check nor a justification.

    Other functions of a controller (helpers) need the justification comment: they are called
    from routes whose checks this heuristic cannot follow.

    >>> unchecked_sudo('''
    ... class C:
    ...     @http.route("/x")
    ...     def x(self, id, token):
    ...         record = self._document_check_access("m", id, token)
    ...         return record.sudo().name
    ...     @http.route("/y")
    ...     def y(self):
    ...         return request.env["m"].sudo().search([])
    ... ''')
    [('y', 9)]
    """
    tree = ast.parse(source, filename)
    comments = _comments(source)
    problems = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        calls = sorted(
            (node for node in ast.walk(function) if isinstance(node, ast.Call)),
            key=lambda node: (node.lineno, node.col_offset),
        )
        first_check = min((c.lineno for c in calls if _call_name(c) in ACCESS_CHECKS), default=None)
        route = _is_route(function)
        for call in calls:
            if _call_name(call) != "sudo" or _justified(call.lineno, comments):
                continue
            if route and first_check is not None and first_check <= call.lineno:
                continue
            problems.append((function.name, call.lineno))
    return sorted(set(problems), key=lambda p: p[1])


def test_controllers_exist():
    assert _controller_files(), "no controller found: the scan would prove nothing"


@pytest.mark.parametrize("path", _controller_files(), ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_no_sudo_without_access_check_in_controllers(path):
    problems = unchecked_sudo(path.read_text(), str(path))
    assert not problems, (
        f"{path.relative_to(ROOT)}: sudo() without a preceding access check nor a '# sudo:' reason "
        f"in {problems}"
    )


def test_the_sudo_heuristic_catches_an_unchecked_route():
    source = (
        "class C:\n"
        "    @http.route('/leak', auth='public')\n"
        "    def leak(self, id):\n"
        "        return request.env['account.move'].sudo().browse(id).name\n"
        "    @http.route('/ok', auth='public')\n"
        "    def ok(self, id, token):\n"
        "        move = self._document_check_access('account.move', id, token)\n"
        "        return move.sudo().name\n"
        "    def _helper(self):\n"
        "        # sudo: reads a public setting\n"
        "        return request.env['ir.config_parameter'].sudo().get_param('x')\n"
    )
    assert unchecked_sudo(source) == [("leak", 4)]


def _load_check_sql():
    spec = importlib.util.spec_from_file_location("check_sql", ROOT / "setup" / "check_sql.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_sql_built_by_string_formatting(capsys):
    check_sql = _load_check_sql()
    status = check_sql.main([str(ROOT / addon) for addon in ADDONS])
    assert status == 0, capsys.readouterr().out


def test_the_sql_rule_catches_string_formatting(tmp_path):
    (tmp_path / "bad.py").write_text(
        "def f(cr, table):\n    cr.execute(f'SELECT * FROM {table}')\n    cr.execute('SELECT %s' % table)\n"
    )
    (tmp_path / "good.py").write_text("def f(cr, i):\n    cr.execute('SELECT id FROM t WHERE id = %s', (i,))\n")
    check_sql = _load_check_sql()
    assert check_sql.main([str(tmp_path)]) == 1
    (tmp_path / "bad.py").unlink()
    assert check_sql.main([str(tmp_path)]) == 0
