import doctest

from odoo.tests import BaseCase

from ..tools import identifiers


class TestIdentifiers(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(identifiers)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_siret_with_bad_checksum_is_refused(self):
        self.assertIsNone(identifiers.siren_from("73282932000075"))
        self.assertIsNone(identifiers.community_key("FR00732829320"))

    def test_individuals_without_identifier_give_no_key(self):
        for value in (None, "", "Jean Dupont", "123"):
            self.assertIsNone(identifiers.community_key(value))
