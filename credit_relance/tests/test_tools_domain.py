import doctest

from odoo.tests import BaseCase

from ..tools import domain as domain_tools
from ..tools.domain import DomainError, parse_domain


class TestToolsDomain(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(domain_tools)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_nothing_is_executed(self):
        for text in ("__import__('os').system('true')", "[x for x in ()]", "[('a', '=', 1)] + []", "lambda: 1"):
            with self.subTest(text=text), self.assertRaises(DomainError):
                parse_domain(text)

    def test_shapes(self):
        self.assertEqual(parse_domain("[['a', 'in', [1, 2]]]"), [("a", "in", [1, 2])])
        self.assertEqual(parse_domain("[(1, '=', 1)]"), [(1, "=", 1)])
        with self.assertRaises(DomainError):
            parse_domain("{'a': 1}")
        with self.assertRaises(DomainError):
            parse_domain("['&', 5]")
